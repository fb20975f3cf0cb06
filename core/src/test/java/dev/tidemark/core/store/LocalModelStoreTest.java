package dev.tidemark.core.store;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The model store on a local directory. */
public class LocalModelStoreTest extends ModelStoreContract {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private Path root;

  @Override
  protected ModelStore store() throws Exception {
    root = tmp.newFolder("models").toPath();
    return ModelStore.open(root.toString(), null);
  }

  @Override
  protected void writeRaw(String key, byte[] content) throws Exception {
    Path p = root.resolve(key);
    Files.createDirectories(p.getParent());
    Files.write(p, content);
  }

  /** On disk a version is a directory with the files and the marker, nothing else. */
  @Test
  public void versionIsADirectoryWithFilesAndMarker() throws Exception {
    try (ModelStore store = store()) {
      String uri = store.publish("taxi-tips", "v1", Map.of("model.json", bytes("{}")));
      assertEquals("file://" + root + "/taxi-tips/v1", uri);
      try (var files = Files.list(root.resolve("taxi-tips/v1"))) {
        assertEquals(
            List.of("_COMPLETE", "model.json"),
            files.map(p -> p.getFileName().toString()).sorted().toList());
      }
    }
  }
}
