package io.imgpress.web;

import io.imgpress.security.Caller;
import io.imgpress.security.SecurityProperties;
import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Hands controllers the {@link Caller} that {@link ApiKeyFilter} resolved. With keys configured a
 * call that reached a controller without one is refused (an error, never {@link Caller#OPEN}): a
 * path left public by mistake fails closed.
 */
@Configuration(proxyBeanMethods = false)
class CallerResolver implements HandlerMethodArgumentResolver, WebMvcConfigurer {

  private final boolean keys;

  CallerResolver(SecurityProperties security) {
    this.keys = security.apiKeysConfigured();
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(this);
  }

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == Caller.class;
  }

  @Override
  public Caller resolveArgument(
      MethodParameter parameter,
      ModelAndViewContainer mav,
      NativeWebRequest request,
      WebDataBinderFactory binders) {
    if (!keys) {
      return Caller.OPEN;
    }
    Object caller = request.getAttribute(Caller.ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
    if (caller instanceof Caller c && c.owner() != null) {
      return c;
    }
    throw new IllegalStateException(
        "API keys are configured but no key was checked for " + parameter.getExecutable());
  }
}
