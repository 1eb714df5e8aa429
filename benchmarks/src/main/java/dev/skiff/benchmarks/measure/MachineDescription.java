package dev.skiff.benchmarks.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The machine a benchmark ran on, so that its figures can be compared with later runs.
 *
 * @param memoryBytes 0 when unknown
 * @param loadAverage the 1, 5 and 15 minute load averages when the benchmark started: others' work skews results
 * @param docker the Docker version used, or why Docker was not used
 */
public record MachineDescription(int cpus, long memoryBytes, String loadAverage, String kernel, String cpuModel,
    String java, String docker) {

  /** This machine, as Linux's /proc and the running JVM describe it. */
  public static MachineDescription ofThisMachine(String docker) {
    return new MachineDescription(
        Runtime.getRuntime().availableProcessors(),
        read(Path.of("/proc/meminfo")).map(MachineDescription::memTotal).orElse(0L),
        read(Path.of("/proc/loadavg")).map(MachineDescription::loadAverage).orElse("unknown"),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        read(Path.of("/proc/cpuinfo")).flatMap(MachineDescription::cpuModel).orElse("unknown"),
        Runtime.version() + " (" + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vendor") + ")",
        docker);
  }

  /** Name and value of each field, in a stable order, for reports. */
  public Map<String, String> fields() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("cpus", Integer.toString(cpus));
    f.put("memory", memoryBytes == 0 ? "unknown"
        : String.format(Locale.ROOT, "%.1f GiB", memoryBytes / (double) (1L << 30)));
    f.put("load", loadAverage + " (1, 5, 15 min averages at start)");
    f.put("kernel", kernel);
    f.put("cpu", cpuModel);
    f.put("java", java);
    f.put("docker", docker);
    return f;
  }

  /** MemTotal from the text of /proc/meminfo, in bytes; 0 if it has none. */
  static long memTotal(String meminfo) {
    return meminfo.lines()
        .filter(l -> l.startsWith("MemTotal:"))
        .map(l -> l.replaceAll("[^0-9]", ""))
        .filter(digits -> !digits.isEmpty())
        .mapToLong(kib -> Long.parseLong(kib) * 1024)
        .findFirst()
        .orElse(0);
  }

  /** The three load averages from the text of /proc/loadavg, e.g. {@code 0.52 1.10 0.98}. */
  static String loadAverage(String loadavg) {
    String[] fields = loadavg.strip().split("\\s+");
    return fields.length < 3 ? "unknown" : String.join(" ", fields[0], fields[1], fields[2]);
  }

  /** The first "model name" in the text of /proc/cpuinfo. */
  static Optional<String> cpuModel(String cpuinfo) {
    return cpuinfo.lines()
        .filter(l -> l.startsWith("model name"))
        .map(l -> l.substring(l.indexOf(':') + 1).strip())
        .findFirst();
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file));
    } catch (IOException e) {
      return Optional.empty();  // not Linux, or /proc hidden: the field says "unknown"
    }
  }
}
