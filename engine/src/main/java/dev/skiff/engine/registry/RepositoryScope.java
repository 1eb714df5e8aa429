package dev.skiff.engine.registry;

/** Tags a request with the repository it reads, so a token can be asked for with the right scope. */
record RepositoryScope(String repository) {
  String pullScope() {
    return "repository:" + repository + ":pull";
  }
}
