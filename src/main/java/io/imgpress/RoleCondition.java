package io.imgpress;

import io.imgpress.ImgpressProperties.Role;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches beans to this process's {@code imgpress.role}, for {@link ConditionalOnWorkerRole} and
 * {@link ConditionalOnApiRole}. The role is bound the way {@link ImgpressProperties} binds it
 * (relaxed: {@code worker}, {@code WORKER}), so the condition and the properties never disagree.
 */
class RoleCondition extends SpringBootCondition {

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    Role role = role(context);
    boolean works = metadata.isAnnotated(ConditionalOnWorkerRole.class.getName());
    boolean match = works ? role.works() : role.serves();
    String needs = works ? "a role that works (all, worker)" : "a role that serves (all, api)";
    return new ConditionOutcome(match, "imgpress.role is " + role + "; needs " + needs);
  }

  static Role role(ConditionContext context) {
    return Binder.get(context.getEnvironment()).bind("imgpress.role", Role.class).orElse(Role.ALL);
  }
}
