package io.imgpress.request.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgpress.request.ImageTransitions;
import io.imgpress.request.ImageTransitions.Change;
import io.imgpress.request.ImageTransitions.Completion;
import io.imgpress.request.ImageTransitions.Failure;
import io.imgpress.request.ImageTransitions.Outcome;
import io.imgpress.request.ImageTransitions.Retry;
import io.imgpress.request.ImageTransitions.Start;
import io.imgpress.request.NewRequest;
import io.imgpress.request.NewRequest.NewProduct;
import io.imgpress.request.RequestStatus;
import io.imgpress.support.CommitCounter;
import io.imgpress.support.MutableClock;
import io.imgpress.support.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.annotation.AnnotationTransactionAttributeSource;
import org.springframework.transaction.interceptor.TransactionInterceptor;

/**
 * Starting and recording a batch of images costs one commit, whatever its size: the adapter as
 * Spring wires it, its {@code @Transactional} applied by the same interceptor.
 */
class JdbcImageTransitionsCommitsTest {

  final MutableClock clock = new MutableClock();
  final CommitCounter counter = new CommitCounter(TestDatabase.h2());
  final JdbcRequestRepository requests =
      new JdbcRequestRepository(
          TestDatabase.client(counter.dataSource()),
          TestDatabase.template(counter.dataSource()),
          clock);
  final ImageTransitions transitions = transactional(counter);

  @Test
  void startingAndRecordingSixtyFourImagesOfTwoRequestsCommitsOnceEach() {
    List<Long> images = new ArrayList<>(images(32));
    images.addAll(images(32));
    List<Start> starts = images.stream().map(id -> new Start(id, "w")).toList();

    counter.reset();
    assertThat(transitions.startAll(starts)).hasSize(64);
    assertThat(counter.commits()).as("startAll").isEqualTo(1);

    List<Change> changes = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      long id = images.get(i);
      changes.add(
          switch (i % 3) {
            case 0 -> new Completion(id, "w", "/images/x/" + id + ".jpg", 10, 5);
            case 1 -> new Failure(id, "w", "HTTP 404 from source");
            default -> new Retry(id, "w", "HTTP 503 from source");
          });
    }
    counter.reset();
    List<Outcome> outcomes = transitions.record(changes);
    assertThat(outcomes).extracting(Outcome::applied).containsOnly(true);
    assertThat(outcomes).extracting(Outcome::requestStatus).containsOnly(RequestStatus.PROCESSING);
    assertThat(counter.commits()).as("record").isEqualTo(1);
  }

  private List<Long> images(int count) {
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      urls.add("http://x/" + i);
    }
    NewRequest request =
        new NewRequest(UUID.randomUUID(), 50, null, List.of(new NewProduct(1, "a", urls)));
    requests.stage(request);
    return requests.expand(request.id()).orElseThrow();
  }

  private ImageTransitions transactional(CommitCounter counter) {
    ProxyFactory proxy =
        new ProxyFactory(
            new JdbcImageTransitions(
                TestDatabase.client(counter.dataSource()),
                TestDatabase.template(counter.dataSource()),
                clock));
    proxy.addInterface(ImageTransitions.class);
    proxy.addAdvice(
        new TransactionInterceptor(
            new DataSourceTransactionManager(counter.dataSource()),
            new AnnotationTransactionAttributeSource()));
    return (ImageTransitions) proxy.getProxy();
  }
}
