package dev.skiff.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestDocumentTest {
  static final String D1 = "sha256:" + "1".repeat(64);
  static final String D2 = "sha256:" + "2".repeat(64);
  static final String D3 = "sha256:" + "3".repeat(64);

  static byte[] json(String s) {
    return s.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  static final byte[] MANIFEST_WITHOUT_MEDIA_TYPE = json("{'schemaVersion':2,"
      + "'config':{'mediaType':'application/vnd.oci.image.config.v1+json','digest':'" + D1 + "','size':10},"
      + "'layers':[{'mediaType':'application/vnd.oci.image.layer.v1.tar+gzip','digest':'" + D2 + "','size':20}]}");

  @Test
  void contentTypeDecidesWhenTheFieldIsMissing() {
    ManifestDocument doc = ManifestDocument.parse(MANIFEST_WITHOUT_MEDIA_TYPE,
        MediaTypes.OCI_MANIFEST + "; charset=utf-8", "img");

    assertThat(doc).isInstanceOfSatisfying(ImageManifest.class, m -> {
      assertThat(m.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
      assertThat(m.config().size()).isEqualTo(10);
      assertThat(m.layers()).singleElement().satisfies(l -> assertThat(l.digest().toString()).isEqualTo(D2));
    });
  }

  @Test
  void shapeDecidesWhenNeitherHeaderNorFieldSay() {
    assertThat(ManifestDocument.parse(MANIFEST_WITHOUT_MEDIA_TYPE, "application/octet-stream", "img"))
        .isInstanceOf(ImageManifest.class);
    assertThat(ManifestDocument.parse(json("{'schemaVersion':2,'manifests':[]}"), null, "img"))
        .isInstanceOf(ImageIndex.class);
  }

  @Test
  void indexSelectionSkipsUnknownTypesAndForeignPlatformsAndTakesTheFirstMatch() {
    byte[] index = json("{'schemaVersion':2,'mediaType':'application/vnd.oci.image.index.v1+json','manifests':["
        + "{'mediaType':'application/vnd.oci.image.manifest.v1+json','digest':'" + D1 + "','size':1,"
        + "'platform':{'os':'linux','architecture':'arm64','variant':'v8'}},"
        + "{'mediaType':'application/vnd.example.unknown+json','digest':'" + D2 + "','size':1,"
        + "'platform':{'os':'linux','architecture':'amd64'}},"
        + "{'mediaType':'application/vnd.oci.image.manifest.v1+json','digest':'" + D3 + "','size':1,"
        + "'platform':{'os':'linux','architecture':'amd64'}},"
        + "{'mediaType':'application/vnd.oci.image.manifest.v1+json','digest':'" + D2 + "','size':1,"
        + "'platform':{'os':'linux','architecture':'amd64'}}]}");
    ImageIndex parsed = (ImageIndex) ManifestDocument.parse(index, "application/json", "img");

    assertThat(parsed.select(Platform.parse("linux/amd64")).orElseThrow().digest().toString()).isEqualTo(D3);
    assertThat(parsed.select(Platform.parse("linux/arm64")).orElseThrow().digest().toString()).isEqualTo(D1);
    assertThat(parsed.select(Platform.parse("linux/s390x"))).isEmpty();
  }

  @Test
  void schema1IsRefusedWithAFix() {
    assertThatThrownBy(() -> ManifestDocument.parse(json("{'schemaVersion':1,'fsLayers':[]}"),
        MediaTypes.DOCKER_MANIFEST_V1_SIGNED, "old/image:1"))
        .isInstanceOf(InvalidManifestException.class)
        .hasMessageContaining("old/image:1")
        .hasMessageContaining("schema 1")
        .hasMessageContaining("Push the image again");
  }

  @Test
  void brokenDocumentsAreExplained() {
    assertThatThrownBy(() -> ManifestDocument.parse(json("{'schemaVersion':2,"), null, "img"))
        .hasMessageContaining("img").hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> ManifestDocument.parse(json("[1]"), null, "img"))
        .hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> ManifestDocument.parse(json("{'schemaVersion':2,'config':{'digest':'sha256:xyz','size':1},"
        + "'layers':[]}"), MediaTypes.OCI_MANIFEST, "img"))
        .hasMessageContaining("invalid digest");
    assertThatThrownBy(() -> ManifestDocument.parse(json("{'schemaVersion':2,'config':{'digest':'" + D1 + "','size':1},"
        + "'layers':[{'mediaType':'application/vnd.example.artifact','digest':'" + D2 + "','size':1}]}"),
        MediaTypes.OCI_MANIFEST, "img"))
        .hasMessageContaining("not a filesystem layer");
  }

  @Test
  void configFieldsAreRead() {
    byte[] config = json("{'architecture':'amd64','os':'linux','config':{'User':'app','Env':['A=1'],"
        + "'Entrypoint':['/e'],'Cmd':['c'],'WorkingDir':'/w','ExposedPorts':{'80/tcp':{}},'Labels':{'k':'v'},"
        + "'StopSignal':'SIGQUIT','Healthcheck':{'Test':['CMD','true'],'Interval':2000000000,'Retries':2}},"
        + "'rootfs':{'type':'layers','diff_ids':['" + D1 + "']}}");
    ImageConfig c = ImageConfig.parse(config, "img");

    assertThat(c.user()).isEqualTo("app");
    assertThat(c.env()).containsExactly("A=1");
    assertThat(c.entrypoint()).containsExactly("/e");
    assertThat(c.cmd()).containsExactly("c");
    assertThat(c.workingDir()).isEqualTo("/w");
    assertThat(c.exposedPorts()).containsExactly("80/tcp");
    assertThat(c.labels()).containsEntry("k", "v");
    assertThat(c.stopSignal()).contains("SIGQUIT");
    assertThat(c.healthcheck().orElseThrow().interval().getSeconds()).isEqualTo(2);
    assertThat(c.diffIds()).extracting(Object::toString).containsExactly(D1);
  }

  @Test
  void configWithoutConfigSectionHasEmptyDefaults() {
    ImageConfig c = ImageConfig.parse(json("{'architecture':'amd64','os':'linux','rootfs':{'diff_ids':[]}}"), "img");

    assertThat(c.entrypoint()).isEmpty();
    assertThat(c.user()).isEmpty();
    assertThat(c.stopSignal()).isEmpty();
    assertThat(c.healthcheck()).isEmpty();
  }
}
