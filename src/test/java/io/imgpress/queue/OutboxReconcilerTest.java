package io.imgpress.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.queue.JobQueue.Job;
import io.imgpress.request.ImageTransitions;
import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.RequestRepository;
import io.imgpress.request.jdbc.JdbcStores;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** A queue that lost every job is given again all that the store's state still needs. */
class OutboxReconcilerTest {

  @Test
  void givesTheQueueEveryOpenJobPageByPage() {
    MutableClock clock = new MutableClock();
    DataSource ds = TestDatabase.h2();
    RequestRepository requests = JdbcStores.requests(ds, clock);
    ImageTransitions transitions = JdbcStores.transitions(ds, clock);
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      urls.add("http://a.test/" + i + ".jpg");
    }
    NewRequest big =
        new NewRequest(UUID.randomUUID(), 50, null, List.of(new NewProduct(1, "SKU", urls)));
    requests.stage(big);
    List<Long> ids = requests.expand(big.id()).orElseThrow();
    transitions.start(ids.getFirst(), "w");
    transitions.complete(ids.getFirst(), "w", "p", 1, 1);
    NewRequest staged =
        new NewRequest(
            UUID.randomUUID(), 50, null, List.of(new NewProduct(1, "S", List.of("http://a/b"))));
    requests.stage(staged);
    List<Job> given = new ArrayList<>();
    JobQueue forgetful =
        (JobQueue)
            Proxy.newProxyInstance(
                JobQueue.class.getClassLoader(),
                new Class<?>[] {JobQueue.class},
                (p, method, args) -> {
                  if (method.getName().equals("enqueue")) {
                    @SuppressWarnings("unchecked")
                    List<Job> jobs = (List<Job>) args[0];
                    given.addAll(jobs);
                    return null;
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    OutboxReconciler reconciler =
        new OutboxReconciler(
            JdbcStores.outbox(ds, clock), forgetful, new WorkSignal(), OutboxProperties.defaults());

    assertThat(reconciler.reconcile()).isEqualTo(1500);

    assertThat(given.stream().map(j -> j.kind() + " " + j.ref()))
        .hasSize(1500)
        .doesNotHaveDuplicates()
        .contains("INTAKE " + staged.id(), "IMAGE " + ids.get(1), "IMAGE " + ids.getLast())
        .doesNotContain("IMAGE " + ids.getFirst());
  }
}
