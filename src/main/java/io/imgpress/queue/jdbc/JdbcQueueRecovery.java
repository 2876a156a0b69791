package io.imgpress.queue.jdbc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * After a crash, jobs the dead process held are still leased. The embedded database belongs to this
 * process alone, so those leases are released at start, before any worker runs, instead of being
 * waited out. Only on H2: on PostgreSQL other processes hold leases that are alive, and the work of
 * a dead process comes back when its leases run out.
 */
@Component
@ConditionalOnProperty(name = "imgpress.queue", havingValue = "database", matchIfMissing = true)
@ConditionalOnProperty(name = "imgpress.store", havingValue = "h2", matchIfMissing = true)
class JdbcQueueRecovery implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(JdbcQueueRecovery.class);

  private final JdbcJobQueue queue;
  private volatile boolean running;

  JdbcQueueRecovery(JdbcJobQueue queue) {
    this.queue = queue;
  }

  @Override
  public void start() {
    int released = queue.releaseAllLeases();
    if (released > 0) {
      log.info("Released {} jobs left running by a previous process", released);
    }
    running = true;
  }

  @Override
  public void stop() {
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return 0;
  }
}
