package io.imgpress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The jar that ships is the service alone: the benchmark code (src/bench/java, run by bench/*.sh)
 * is built beside it, never into it.
 */
class ProductionJarIT {

  @Test
  void holdsTheApplicationAndNoBenchmarkClasses() throws IOException {
    Path jar = Path.of(System.getProperty("basedir", "."), "target", "imgpress.jar");
    try (JarFile file = new JarFile(jar.toFile())) {
      List<String> names = file.stream().map(JarEntry::getName).toList();
      String startClass = file.getManifest().getMainAttributes().getValue("Start-Class");
      assertThat(startClass).isNotBlank();
      assertThat(names).contains("BOOT-INF/classes/" + startClass.replace('.', '/') + ".class");
      assertThat(names).filteredOn(name -> name.contains("io/imgpress/bench/")).isEmpty();
    }
  }
}
