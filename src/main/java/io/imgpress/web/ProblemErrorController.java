package io.imgpress.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error page ({@code /error}), in the place of Spring Boot's, which answers in its
 * own JSON. It turns what the container forwards here into an exception for {@link ProblemAdvice},
 * so errors raised outside Spring MVC (a failing filter, a method the container refuses) are
 * answered by the same mapping as the rest.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

  @RequestMapping("${server.error.path:${error.path:/error}}")
  void error(HttpServletRequest request) throws Exception {
    Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    if (status == null) {
      // Asked for directly, not forwarded to by the container: there is nothing here.
      throw new ContainerErrorException(404);
    }
    int code = (Integer) status;
    // An exception only explains a 500; with another status the container has decided already
    // (a 400 for a body it could not read carries the read error, which is no server fault).
    if (code >= 500
        && request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Exception e) {
      throw e;
    }
    throw new ContainerErrorException(code);
  }
}
