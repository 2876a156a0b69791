package io.imgpress.request.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Uploads staged at the same time, each in its own transaction as in the service. */
class ImageIdReservationTest {

  @Test
  void concurrentUploadsReserveDisjointBlocks() throws Exception {
    DataSource ds = TestDatabase.h2();
    JdbcRequestRepository requests =
        new JdbcRequestRepository(
            TestDatabase.client(ds), TestDatabase.template(ds), new MutableClock());
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<List<Long>>> uploads = new ArrayList<>();
    for (int u = 0; u < 60; u++) {
      int images = 1 + u % 5;
      uploads.add(
          pool.submit(
              () -> {
                List<String> urls = new ArrayList<>();
                for (int i = 0; i < images; i++) {
                  urls.add("http://x/" + i);
                }
                NewRequest request =
                    new NewRequest(
                        UUID.randomUUID(), 50, null, List.of(new NewProduct(1, "a", urls)));
                tx.executeWithoutResult(s -> requests.stage(request));
                long first = requests.staged(request.id()).orElseThrow().firstImageId();
                return LongStream.range(first, first + images).boxed().toList();
              }));
    }
    List<Long> all = new ArrayList<>();
    for (Future<List<Long>> upload : uploads) {
      all.addAll(upload.get());
    }
    pool.shutdown();
    assertThat(all).doesNotHaveDuplicates().hasSize(180);
  }
}
