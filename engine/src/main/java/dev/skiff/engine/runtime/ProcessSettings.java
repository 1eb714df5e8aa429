package dev.skiff.engine.runtime;

import dev.skiff.engine.image.ImageConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The container's process as Docker derives it from the image config and the overrides of a spec. */
record ProcessSettings(List<String> argv, List<String> env, String workingDir, ImageUsers.Identity identity,
    String hostname) {

  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  ProcessSettings {
    argv = List.copyOf(argv);
    env = List.copyOf(env);
  }

  static ProcessSettings resolve(ContainerSpec spec, ImageConfig config, ImageUsers users, String defaultHostname)
      throws ContainerException {
    List<String> argv = new ArrayList<>(spec.entrypoint().orElse(config.entrypoint()));
    // Docker: overriding the entrypoint discards the image's Cmd.
    argv.addAll(spec.command().orElse(spec.entrypoint().isPresent() ? List.of() : config.cmd()));
    if (argv.isEmpty()) {
      throw new ContainerException("The image " + spec.image() + " has no Entrypoint or Cmd and the spec gives no"
          + " command; set one with ContainerSpec.Builder.command(...).");
    }
    ImageUsers.Identity identity = users.resolve(spec.user().orElse(config.user()), spec.image());
    String hostname = spec.hostname().orElse(defaultHostname);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", DEFAULT_PATH);
    env.put("HOSTNAME", hostname);
    for (String entry : config.env()) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    env.putAll(spec.env());
    env.putIfAbsent("HOME", identity.home());
    String workingDir = spec.workingDir().orElse(config.workingDir().isEmpty() ? "/" : config.workingDir());
    if (!workingDir.startsWith("/")) {
      workingDir = "/" + workingDir;
    }
    List<String> envList = new ArrayList<>();
    env.forEach((k, v) -> envList.add(k + "=" + v));
    return new ProcessSettings(argv, envList, workingDir, identity, hostname);
  }
}
