package io.imgpress.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.support.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An H2 database migrated before the scripts moved into {@code common/} and {@code h2/} (all of
 * them in one folder then) still validates and has nothing left to do: a script keeps its version,
 * description and content, and so its checksum, wherever it lies.
 */
class MigrationLayoutTest {

  static final String[] COMMON = {
    "V1__schema.sql",
    "V3__leased_queue.sql",
    "V5__request_failure.sql",
    "V6__stable_image_ids_and_change_numbers.sql",
    "V7__image_owner.sql"
  };

  @Test
  void aDatabaseMigratedFromTheOldSingleFolderStillValidates(@TempDir Path old) throws Exception {
    for (String script : COMMON) {
      copy("db/migration/common/" + script, old.resolve(script));
    }
    copy("db/migration/h2/V2__staged_intake.sql", old.resolve("V2__staged_intake.sql"));
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:layout" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    ds.setUser("sa");
    Flyway.configure().dataSource(ds).locations("filesystem:" + old).load().migrate();

    Flyway now = TestDatabase.flyway(ds, "h2").load();

    assertThat(Arrays.stream(now.info().pending()).map(m -> m.getVersion().getVersion()))
        .as("only what came after the folders were split")
        .containsExactly("8", "9");
    assertThat(now.migrate().migrationsExecuted).isEqualTo(2);
    assertThat(now.validateWithResult().validationSuccessful).isTrue();
  }

  private static void copy(String resource, Path to) throws IOException {
    try (InputStream in =
        MigrationLayoutTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      Files.copy(in, to);
    }
  }
}
