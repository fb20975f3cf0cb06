package dev.tidemark.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * The classes the model server reuses are free of Beam: their sources import nothing from {@code
 * org.apache.beam}, and they load and work in a class loader that has no Beam jar.
 */
public class BeamFreePackagesTest {

  /** Packages that must stay free of Beam, as source directories. */
  private static final List<String> BEAM_FREE_PACKAGES =
      List.of(
          "dev/tidemark/transforms/taxi/features",
          "dev/tidemark/transforms/taxi/model",
          "dev/tidemark/transforms/modelstore");

  /** Beam-free single files in packages that also hold Beam transforms. */
  private static final List<String> BEAM_FREE_FILES =
      List.of(
          "dev/tidemark/transforms/taxi/TaxiTrip.java",
          "dev/tidemark/transforms/taxi/TaxiTripCsv.java",
          "dev/tidemark/transforms/taxi/TaxiTripJson.java",
          "dev/tidemark/transforms/taxi/MalformedTripException.java");

  /** No source file of those packages mentions org.apache.beam. */
  @Test
  public void beamFreeSourcesImportNothingFromBeam() throws IOException {
    Path src = Paths.get("src/main/java");
    List<Path> files = new ArrayList<>();
    for (String pkg : BEAM_FREE_PACKAGES) {
      try (Stream<Path> s = Files.list(src.resolve(pkg))) {
        s.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
      }
    }
    BEAM_FREE_FILES.forEach(f -> files.add(src.resolve(f)));
    assertTrue("expected at least 20 files, found " + files.size(), files.size() >= 20);
    List<String> offenders = new ArrayList<>();
    for (Path f : files) {
      if (Files.readString(f).contains("org.apache.beam")) {
        offenders.add(f.toString());
      }
    }
    assertEquals(List.of(), offenders);
  }

  /** The model server's use of them works in a class loader without any Beam jar. */
  @Test
  public void beamFreeClassesWorkWithoutBeamOnTheClassPath() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.replace('\\', '/').contains("/org/apache/beam/")) {
        urls.add(Paths.get(entry).toUri().toURL());
      }
    }
    try (URLClassLoader noBeam =
        new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      assertThrows(
          ClassNotFoundException.class,
          () -> Class.forName("org.apache.beam.sdk.Pipeline", false, noBeam));
      Callable<?> smoke =
          (Callable<?>)
              Class.forName(BeamFreeSmoke.class.getName(), true, noBeam)
                  .getDeclaredConstructor()
                  .newInstance();
      assertEquals("true bf1a089bb7c9f063 [12.45, 2.3, 840.0] true v1", smoke.call());
    }
  }
}
