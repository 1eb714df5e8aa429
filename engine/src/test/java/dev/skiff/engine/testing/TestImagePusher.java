package dev.skiff.engine.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.engine.hash.Digest;
import dev.skiff.engine.image.MediaTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.io.ByteArrayInputStream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Pushes small hand-made images to the test registry through the real distribution API, so tests can pull exactly
 * the content they need (hostile layers, odd manifests). Layers are given as the blob bytes to serve.
 */
public final class TestImagePusher {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final OkHttpClient http = new OkHttpClient();
  private final String registry;

  public TestImagePusher(String registry) {
    this.registry = registry;
  }

  /** Pushes an OCI image with {@code gzipLayers} (gzip bytes) and returns "registry/repository:tag". */
  public String pushGzipImage(String repository, String tag, List<byte[]> gzipLayers) {
    try {
      List<Digest> diffIds = new ArrayList<>();
      ObjectNode manifest = JSON.createObjectNode();
      manifest.put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
      ArrayNode layers = manifest.putArray("layers");
      for (byte[] blob : gzipLayers) {
        diffIds.add(Digest.sha256Of(gunzip(blob)));
        Digest d = pushBlob(repository, blob);
        layers.addObject().put("mediaType", MediaTypes.OCI_LAYER_GZIP).put("digest", d.toString())
            .put("size", blob.length);
      }
      ObjectNode config = JSON.createObjectNode().put("architecture", "amd64").put("os", "linux");
      config.putObject("config").putArray("Cmd").add("sh");
      ArrayNode ids = config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
      diffIds.forEach(d -> ids.add(d.toString()));
      byte[] configBytes = JSON.writeValueAsBytes(config);
      Digest configDigest = pushBlob(repository, configBytes);
      manifest.putObject("config").put("mediaType", MediaTypes.OCI_CONFIG).put("digest", configDigest.toString())
          .put("size", configBytes.length);
      put(url(repository, "manifests/" + tag), JSON.writeValueAsBytes(manifest), MediaTypes.OCI_MANIFEST);
      return registry + "/" + repository + ":" + tag;
    } catch (IOException e) {
      throw new UncheckedIOException("Pushing a test image to " + registry + " failed", e);
    }
  }

  /**
   * Pushes {@code repository:newTag}: the single-platform image {@code repository:sourceTag} with its config's
   * {@code config} object changed by {@code edit} (e.g. a HEALTHCHECK added). Returns "registry/repository:newTag".
   */
  public String pushWithEditedConfig(String repository, String sourceTag, String newTag, Consumer<ObjectNode> edit) {
    try {
      ObjectNode manifest = (ObjectNode) JSON.readTree(get(url(repository, "manifests/" + sourceTag),
          MediaTypes.OCI_MANIFEST + ", " + MediaTypes.DOCKER_MANIFEST));
      ObjectNode config = (ObjectNode) JSON.readTree(get(url(repository, "blobs/"
          + manifest.path("config").path("digest").asText()), "*/*"));
      edit.accept((ObjectNode) config.path("config"));
      byte[] configBytes = JSON.writeValueAsBytes(config);
      ((ObjectNode) manifest.path("config")).put("digest", pushBlob(repository, configBytes).toString())
          .put("size", configBytes.length);
      put(url(repository, "manifests/" + newTag), JSON.writeValueAsBytes(manifest),
          manifest.path("mediaType").asText(MediaTypes.OCI_MANIFEST));
      return registry + "/" + repository + ":" + newTag;
    } catch (IOException e) {
      throw new UncheckedIOException("Pushing " + repository + ":" + newTag + " to " + registry + " failed", e);
    }
  }

  private byte[] get(String url, String accept) throws IOException {
    try (Response r = http.newCall(new Request.Builder().url(url).header("Accept", accept).build()).execute()) {
      if (r.code() != 200) {
        throw new IOException("GET " + url + " answered " + r.code() + ": " + r.body().string());
      }
      return r.body().bytes();
    }
  }

  private Digest pushBlob(String repository, byte[] blob) throws IOException {
    Digest digest = Digest.sha256Of(blob);
    Request start = new Request.Builder().url(url(repository, "blobs/uploads/"))
        .post(RequestBody.create(new byte[0])).build();
    String location;
    try (Response r = http.newCall(start).execute()) {
      if (r.code() != 202) {
        throw new IOException("upload start answered " + r.code() + ": " + r.body().string());
      }
      location = r.header("Location");
    }
    String target = location.startsWith("http") ? location : "http://" + registry + location;
    String sep = target.contains("?") ? "&" : "?";
    put(target + sep + "digest=" + digest, blob, "application/octet-stream");
    return digest;
  }

  private void put(String url, byte[] body, String contentType) throws IOException {
    Request put = new Request.Builder().url(url).put(RequestBody.create(body, MediaType.get(contentType))).build();
    try (Response r = http.newCall(put).execute()) {
      if (r.code() != 201) {
        throw new IOException("PUT " + url + " answered " + r.code() + ": " + r.body().string());
      }
    }
  }

  private String url(String repository, String path) {
    return "http://" + registry + "/v2/" + repository + "/" + path;
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }
}
