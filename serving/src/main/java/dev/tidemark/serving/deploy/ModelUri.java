package dev.tidemark.serving.deploy;

import dev.tidemark.core.store.ModelNames;

/**
 * A model version's URI split into repository, model and version: {@code
 * s3://models/taxi-tips/20261127T090000Z} is version {@code 20261127T090000Z} of {@code taxi-tips}
 * in repository {@code s3://models}. Local directories work the same way.
 *
 * @param repository the repository URI (what {@code bin/tidemark serve --repository} takes)
 * @param model the model name
 * @param version the version
 */
public record ModelUri(String repository, String model, String version) {

  /**
   * Parses {@code <repository>/<model>/<version>} (a trailing slash is fine).
   *
   * @throws IllegalArgumentException when the URI has no model and version, or they are invalid
   */
  public static ModelUri parse(String uri) {
    String u = uri.strip();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    int v = u.lastIndexOf('/');
    int m = v < 0 ? -1 : u.lastIndexOf('/', v - 1);
    if (m < 0) {
      throw new IllegalArgumentException(
          uri + " does not name a model version (expected <repository>/<model>/<version>)");
    }
    String repository = u.substring(0, m);
    String model = u.substring(m + 1, v);
    String version = u.substring(v + 1);
    if (!ModelNames.isValid(model)
        || !ModelNames.isValid(version)
        || repository.endsWith(":/")
        || repository.endsWith(":")) {
      throw new IllegalArgumentException(
          uri + " does not name a model version (expected <repository>/<model>/<version>)");
    }
    return new ModelUri(repository, model, version);
  }

  @Override
  public String toString() {
    return repository + "/" + model + "/" + version;
  }
}
