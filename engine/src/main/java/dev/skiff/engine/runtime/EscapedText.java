package dev.skiff.engine.runtime;

/** Decodes text where a marker character introduces a fixed number of digits naming one character. */
final class EscapedText {
  private EscapedText() {}

  /** E.g. {@code decode("a%09b", '%', 2, 16)} is "a\tb", {@code decode("a\\040b", '\\', 3, 8)} is "a b". */
  static String decode(String s, char marker, int digits, int radix) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == marker && i + digits < s.length()) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 1 + digits), radix));
        i += digits;
      } else {
        sb.append(s.charAt(i));
      }
    }
    return sb.toString();
  }
}
