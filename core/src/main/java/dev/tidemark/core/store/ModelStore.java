package dev.tidemark.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Versioned models in an object store, laid out as {@code <root>/<model>/<version>/<file>}.
 *
 * <p>Publishing protocol: {@link #publish} writes every file of a version, then, last, the marker
 * object {@value #MARKER}: JSON listing each file with its size and SHA-256. A version without the
 * marker is incomplete (being written, or abandoned by a crash) and readers ignore it: {@link
 * #completeVersions} and {@link #latestVersion} only return versions with a marker, and {@link
 * #read} checks every file against it. A complete version is immutable: publishing it again fails.
 *
 * <p>Model and version names follow {@link ModelNames}; "latest" is the greatest version in string
 * order, so versions must sort by age: Tidemark uses UTC timestamps like {@code 20261127T090000Z}.
 */
public final class ModelStore implements Closeable {

  /** Name of the completion marker, written last. */
  public static final String MARKER = "_COMPLETE";

  /** File names within a version. */
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ObjectStore store;
  private final String location;

  private ModelStore(ObjectStore store, String location) {
    this.store = store;
    this.location = location;
  }

  /** A model store at {@code location} ({@code s3://bucket[/prefix]} or a directory). */
  public static ModelStore open(String location, S3Settings s3) {
    return new ModelStore(
        ObjectStore.open(StoreLocation.parse(location), s3),
        location.strip().replaceAll("(?<=.)/+$", ""));
  }

  /** A model store at {@code location}, S3 settings from the environment. */
  public static ModelStore open(String location) {
    return open(location, S3Settings.fromEnv());
  }

  /**
   * The store's location as it was given, without a trailing slash: {@code s3://models}, {@code
   * target/models}; what messages show and what {@code bin/tidemark train --output} takes.
   */
  public String location() {
    return location;
  }

  /** Models with at least one complete version, sorted by name. */
  public List<String> models() throws IOException {
    TreeSet<String> names = new TreeSet<>();
    for (String key : store.list("")) {
      String[] parts = key.split("/");
      if (parts.length == 3
          && parts[2].equals(MARKER)
          && ModelNames.isValid(parts[0])
          && ModelNames.isValid(parts[1])) {
        names.add(parts[0]);
      }
    }
    return new ArrayList<>(names);
  }

  /** The URI of a version's directory, e.g. {@code s3://models/taxi-tips/20261127T090000Z}. */
  public String uri(String model, String version) {
    return store.root().resolve(model + "/" + version).uri();
  }

  /**
   * Publishes {@code files} (name to content) as {@code version} of {@code model}: every file, then
   * the marker.
   *
   * @return the version's URI
   * @throws IllegalStateException when that version is already complete
   */
  public String publish(String model, String version, Map<String, byte[]> files)
      throws IOException {
    ModelNames.check("model", model);
    ModelNames.check("version", version);
    String dir = model + "/" + version + "/";
    if (store.get(dir + MARKER).isPresent()) {
      throw new IllegalStateException(uri(model, version) + " is already published");
    }
    ObjectNode marker = JSON.createObjectNode();
    marker.put("model", model);
    marker.put("version", version);
    ObjectNode listed = marker.putObject("files");
    for (Map.Entry<String, byte[]> f : new TreeMap<>(files).entrySet()) {
      checkFileName(f.getKey());
      if (f.getKey().equals(MARKER)) {
        throw new IllegalArgumentException(MARKER + " is reserved");
      }
      store.put(dir + f.getKey(), f.getValue());
      ObjectNode entry = listed.putObject(f.getKey());
      entry.put("bytes", f.getValue().length);
      entry.put("sha256", sha256(f.getValue()));
    }
    marker.put("completedAt", Instant.now().toString());
    store.put(dir + MARKER, JSON.writeValueAsBytes(marker));
    return uri(model, version);
  }

  /** The complete versions of {@code model}, oldest first. */
  public List<String> completeVersions(String model) throws IOException {
    ModelNames.check("model", model);
    TreeSet<String> versions = new TreeSet<>();
    for (String key : store.list(model + "/")) {
      String[] parts = key.split("/");
      if (parts.length == 3 && parts[2].equals(MARKER) && ModelNames.isValid(parts[1])) {
        versions.add(parts[1]);
      }
    }
    return new ArrayList<>(versions);
  }

  /** The newest complete version of {@code model}, if any. */
  public Optional<String> latestVersion(String model) throws IOException {
    List<String> versions = completeVersions(model);
    return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
  }

  /**
   * Reads every file of a complete version, checked against the marker.
   *
   * @throws IOException when the version is not complete or a file does not match the marker
   */
  public Map<String, byte[]> read(String model, String version) throws IOException {
    ModelNames.check("model", model);
    ModelNames.check("version", version);
    String dir = model + "/" + version + "/";
    byte[] markerBytes =
        store
            .get(dir + MARKER)
            .orElseThrow(
                () ->
                    new IOException(uri(model, version) + " is not complete (no " + MARKER + ")"));
    JsonNode files = JSON.readTree(markerBytes).path("files");
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      byte[] content =
          store
              .get(dir + f.getKey())
              .orElseThrow(
                  () -> new IOException(uri(model, version) + "/" + f.getKey() + " is missing"));
      if (!sha256(content).equals(f.getValue().path("sha256").asText())) {
        throw new IOException(uri(model, version) + "/" + f.getKey() + " does not match " + MARKER);
      }
      out.put(f.getKey(), content);
    }
    return out;
  }

  /** One file of a complete version, as UTF-8 text. */
  public String readText(String model, String version, String file) throws IOException {
    byte[] content = read(model, version).get(file);
    if (content == null) {
      throw new IOException(uri(model, version) + " has no " + file);
    }
    return new String(content, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    store.close();
  }

  /** The SHA-256 of {@code bytes}, as 64 hex digits. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static void checkFileName(String name) {
    if (!FILE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a valid file name: '" + name + "'");
    }
  }
}
