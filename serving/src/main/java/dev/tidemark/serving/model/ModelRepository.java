package dev.tidemark.serving.model;

import dev.tidemark.core.store.ModelStore;
import dev.tidemark.core.store.ObjectStore;
import dev.tidemark.core.store.S3Settings;
import dev.tidemark.core.store.StoreLocation;
import dev.tidemark.serving.protocol.Names;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Where models come from: a {@link ModelStore} at {@code s3://bucket[/prefix]} or a local directory
 * ({@code file:///dir} or a path), laid out as {@code <model>/<version>/<files>} with a {@code
 * _COMPLETE} marker per version, exactly as {@code bin/tidemark train} publishes. S3 settings come
 * from the variables KServe's storage initializer reads too ({@code AWS_ACCESS_KEY_ID}, {@code
 * AWS_SECRET_ACCESS_KEY}, {@code AWS_ENDPOINT_URL} / {@code S3_ENDPOINT}, {@code AWS_REGION}).
 */
public final class ModelRepository implements Closeable {

  private final String location;
  private final ModelStore store;
  private final ObjectStore objects;

  private ModelRepository(String location, ModelStore store, ObjectStore objects) {
    this.location = location;
    this.store = store;
    this.objects = objects;
  }

  /** The repository at {@code location}. */
  public static ModelRepository open(String location, S3Settings s3) {
    StoreLocation root = StoreLocation.parse(location);
    return new ModelRepository(
        root.uri().replaceAll("(?<!/)/+$", ""),
        ModelStore.open(location, s3),
        ObjectStore.open(root, s3));
  }

  /** The repository's URI. */
  public String location() {
    return location;
  }

  /** Models with at least one complete version, sorted by name. */
  public List<String> models() throws IOException {
    TreeSet<String> names = new TreeSet<>();
    for (String key : objects.list("")) {
      String[] parts = key.split("/");
      if (parts.length == 3 && parts[2].equals(ModelStore.MARKER) && Names.isValid(parts[0])) {
        names.add(parts[0]);
      }
    }
    return List.copyOf(names);
  }

  /** The newest complete version of {@code model}. */
  public Optional<String> latestVersion(String model) throws IOException {
    return store.latestVersion(model);
  }

  /** The URI of one version. */
  public String uri(String model, String version) {
    return store.uri(model, version);
  }

  /**
   * Loads one version ({@code version} null: the newest).
   *
   * @throws ModelLoadException when it is absent ({@link ModelLoadException#notFound()}) or broken
   */
  public LoadedModel load(
      String model, String version, BatchPolicy policy, java.util.function.IntConsumer batchSizes)
      throws ModelLoadException {
    Names.check("model", model);
    String v = version;
    try {
      if (v == null) {
        v =
            store
                .latestVersion(model)
                .orElseThrow(
                    () ->
                        new ModelLoadException(
                            "model '"
                                + model
                                + "' has no complete version in "
                                + location
                                + " (expected "
                                + location
                                + "/"
                                + model
                                + "/<version>/"
                                + ModelStore.MARKER
                                + ")",
                            true,
                            null));
      } else {
        Names.check("version", v);
        if (!store.completeVersions(model).contains(v)) {
          throw new ModelLoadException(
              "version '"
                  + v
                  + "' of model '"
                  + model
                  + "' is not a complete version in "
                  + location,
              true,
              null);
        }
      }
      Map<String, byte[]> files = store.read(model, v);
      return LoadedModel.load(model, v, store.uri(model, v), files, policy, batchSizes);
    } catch (IOException e) {
      throw new ModelLoadException(
          "cannot read model '" + model + "' from " + location + ": " + e.getMessage(), false, e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      store.close();
    } finally {
      objects.close();
    }
  }
}
