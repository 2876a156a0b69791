package io.imgpress.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.imgpress.support.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Several nodes starting at once against one fresh PostgreSQL database: Flyway takes an advisory
 * lock there, so one migrates, the others wait and then find nothing left to do.
 */
class PostgresMigrationTest {

  static final int NODES = 6;

  @Test
  void nodesMigratingOneFreshDatabaseAtOnceAllSucceedAndTheSchemaIsRight() throws Exception {
    String url = TestDatabase.emptyPostgres();
    List<HikariDataSource> nodes = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      nodes.add(TestDatabase.pool(url, 2));
    }
    ExecutorService threads = Executors.newFixedThreadPool(NODES);
    try {
      CyclicBarrier start = new CyclicBarrier(NODES);
      List<CompletableFuture<MigrateResult>> migrations = new ArrayList<>();
      for (HikariDataSource node : nodes) {
        migrations.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    start.await(30, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                  return TestDatabase.flyway(node, "postgresql").load().migrate();
                },
                threads));
      }
      List<MigrateResult> results = new ArrayList<>();
      for (CompletableFuture<MigrateResult> migration : migrations) {
        results.add(migration.get(120, TimeUnit.SECONDS));
      }

      assertThat(results).allMatch(r -> r.success);
      assertThat(results.stream().mapToInt(r -> r.migrationsExecuted).sum())
          .as("each script ran once, on one node")
          .isEqualTo(scripts());
      JdbcTemplate sql = new JdbcTemplate(nodes.getFirst());
      assertThat(
              sql.queryForList(
                  "select version from flyway_schema_history where success order by installed_rank",
                  String.class))
          .containsExactly("1", "2", "3", "5", "6", "7", "8", "9", "10", "11", "12");
      assertThat(
              sql.queryForList(
                  "select column_name || ' ' || is_nullable || ' ' || coalesce(column_default, '')"
                      + " from information_schema.columns where table_name = 'requests'"
                      + " and column_name in ('output_format', 'max_width', 'max_height')"
                      + " order by column_name",
                  String.class))
          .as("requests from before V12 are full-size JPEGs")
          .containsExactly(
              "max_height NO 0", "max_width NO 0", "output_format NO 'JPEG'::character varying");
      assertThat(
              sql.queryForObject(
                  "select data_type from information_schema.columns"
                      + " where table_name = 'staged_uploads' and column_name = 'rows_text'",
                  String.class))
          .isEqualTo("text");
      assertThat(
              sql.queryForList(
                  "select indexname from pg_indexes where tablename = 'jobs' order by indexname",
                  String.class))
          .containsExactly("jobs_created", "jobs_pkey", "jobs_ready", "jobs_waiting");
      assertThat(TestDatabase.flyway(nodes.getLast(), "postgresql").load().validateWithResult())
          .satisfies(v -> assertThat(v.validationSuccessful).isTrue());
    } finally {
      threads.shutdownNow();
      nodes.forEach(HikariDataSource::close);
    }
  }

  private static int scripts() {
    return TestDatabase.flyway(TestDatabase.h2(), "h2").load().info().applied().length;
  }
}
