package dev.skiff.engine.runtime;

import java.util.Locale;
import java.util.Map;

/** Linux signal names, as images write them in StopSignal ("SIGTERM", "TERM", "15"). */
final class Signals {
  static final int SIGKILL = 9;
  static final int SIGTERM = 15;

  private static final Map<String, Integer> NUMBERS = Map.ofEntries(
      Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("TRAP", 5),
      Map.entry("ABRT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8), Map.entry("KILL", 9), Map.entry("USR1", 10),
      Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14),
      Map.entry("TERM", 15), Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CONT", 18),
      Map.entry("STOP", 19), Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22),
      Map.entry("URG", 23), Map.entry("XCPU", 24), Map.entry("XFSZ", 25), Map.entry("VTALRM", 26),
      Map.entry("PROF", 27), Map.entry("WINCH", 28), Map.entry("IO", 29), Map.entry("PWR", 30), Map.entry("SYS", 31));

  private Signals() {}

  /** The number of a signal given by name (with or without SIG) or number; RTMIN+n is not supported. */
  static int parse(String signal) {
    String s = signal.trim().toUpperCase(Locale.ROOT);
    if (s.matches("\\d{1,2}") && Integer.parseInt(s) >= 1 && Integer.parseInt(s) <= 64) {
      return Integer.parseInt(s);
    }
    Integer n = NUMBERS.get(s.startsWith("SIG") ? s.substring(3) : s);
    if (n == null) {
      throw new IllegalArgumentException("'" + signal + "' is not a signal; write e.g. SIGTERM, TERM or 15");
    }
    return n;
  }
}
