package io.imgpress.db;

import io.imgpress.ImgpressProperties.Store;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * {@link ConditionalOnSqlStore}: {@code imgpress.store} bound the way the properties bind it
 * (relaxed), missing meaning the default {@code h2}.
 */
class SqlStoreCondition extends SpringBootCondition {

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    Store store = StoreDatabaseCheck.store(context.getEnvironment());
    return new ConditionOutcome(
        store != Store.MONGODB,
        "imgpress.store is " + store + "; needs a SQL database (h2, postgres)");
  }
}
