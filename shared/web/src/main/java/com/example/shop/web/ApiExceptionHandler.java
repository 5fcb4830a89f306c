package com.example.shop.web;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;

/**
 * Every error a service answers is an RFC 9457 {@code application/problem+json} body. Client mistakes
 * are 4xx and name the offending field in {@code errors[].field} (and in {@code detail}); only a fault
 * of ours is a 500, and its detail gives nothing away (its error is logged with its stack trace, once a
 * minute for the same error: shop-operations' {@code RepeatedErrorsFilter}).
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    /** A fault of ours, or a client that went away before its answer. */
    @ExceptionHandler(Exception.class)
    public Mono<ResponseEntity<Object>> handleUnexpected(Exception ex, ServerWebExchange exchange) {
        return Mono.deferContextual(context -> {
            if (ProblemResponses.clientWentAway(exchange, ex, context)) {
                return Mono.empty();
            }
            TracedLogging.in(context, () -> log.error("{} {} failed", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), ex));
            return problem(new ApiException(HttpStatus.INTERNAL_SERVER_ERROR,
                    "An unexpected error occurred; it has been logged."));
        });
    }

    /** Every {@link ErrorResponse}, {@link ApiException} included, as Spring renders it; a 5xx is logged. */
    @Override
    protected Mono<ResponseEntity<Object>> handleErrorResponseException(ErrorResponseException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        if (!status.is5xxServerError()) {
            return super.handleErrorResponseException(ex, headers, status, exchange);
        }
        return Mono.deferContextual(context -> {
            TracedLogging.in(context, () -> log.warn("{} {} -> {}: {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), status.value(), ex.getBody().getDetail()));
            return super.handleErrorResponseException(ex, headers, status, exchange);
        });
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(WebExchangeBindException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        List<FieldProblem> errors = new ArrayList<>();
        for (FieldError error : ex.getFieldErrors()) {
            errors.add(new FieldProblem(error.getField(), error.getDefaultMessage()));
        }
        ex.getGlobalErrors().forEach(error -> errors.add(new FieldProblem(error.getObjectName(), error.getDefaultMessage())));
        return problem(ApiException.invalid(errors));
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        List<FieldProblem> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(result -> {
            String name = result.getMethodParameter().getParameterName();
            result.getResolvableErrors().forEach(error -> errors.add(new FieldProblem(name, error.getDefaultMessage())));
        });
        return problem(ApiException.invalid(errors));
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleMissingRequestValueException(MissingRequestValueException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        return problem(ApiException.badRequest(ex.getName(), "is required"));
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        if (findCause(ex, DataBufferLimitException.class) != null) {
            return problem(new ApiException(HttpStatus.CONTENT_TOO_LARGE, "The request body is larger than the limit."));
        }
        JacksonException json = findCause(ex, JacksonException.class);
        if (json != null) {
            return problem(ApiException.invalid(List.of(describe(json))));
        }
        if (ex.getMethodParameter() != null && ex.getMethodParameter().getParameterName() != null
                && !ex.getMethodParameter().hasParameterAnnotation(org.springframework.web.bind.annotation.RequestBody.class)) {
            return problem(ApiException.badRequest(ex.getMethodParameter().getParameterName(),
                    isInteger(ex.getMethodParameter().getParameterType()) ? StrictIntegers.MESSAGE : "has the wrong type or format"));
        }
        String reason = ex.getReason() == null ? "The request could not be read." : ex.getReason();
        if (reason.startsWith("No request body")) {
            reason = "A JSON request body is required.";
        }
        return problem(new ApiException(HttpStatus.BAD_REQUEST, reason));
    }

    private static boolean isInteger(Class<?> type) {
        return type == int.class || type == Integer.class || type == long.class || type == Long.class;
    }

    /** Names the JSON path of a body that could not be read, and says what was wrong with it. */
    static FieldProblem describe(JacksonException ex) {
        String path = path(ex);
        if (ex instanceof PropertyBindingException unknown) {
            String name = unknown.getPropertyName();
            String field = path.isEmpty() ? name : path;
            return new FieldProblem(field, name != null && name.startsWith("$")
                    ? "field names must not start with '$'"
                    : "unknown field; known: " + known(unknown.getKnownPropertyIds()));
        }
        if (ex instanceof InvalidNullException) {
            return new FieldProblem(path, "must not be null");
        }
        if (ex instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return new FieldProblem(path.isEmpty() ? "body" : path, "must be " + describe(mismatch.getTargetType()));
        }
        if (ex instanceof StreamReadException) {
            String duplicate = duplicateKey(ex);
            if (duplicate != null) {
                return new FieldProblem(path.isEmpty() ? duplicate : path + "." + duplicate, "appears more than once");
            }
            return new FieldProblem(path.isEmpty() ? "body" : path, "malformed JSON: " + firstLine(ex.getOriginalMessage()));
        }
        return new FieldProblem(path.isEmpty() ? "body" : path, firstLine(ex.getOriginalMessage()));
    }

    /**
     * The key a {@link StreamReadFeature#STRICT_DUPLICATE_DETECTION} parser refused for being given twice:
     * the name its read context holds. Jackson throws a plain {@link StreamReadException} for it, with no
     * type or property of its own, so it is told apart from other read errors by being the one about that
     * very name.
     */
    private static String duplicateKey(JacksonException ex) {
        if (!(ex.processor() instanceof JsonParser parser) || !parser.isEnabled(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                || parser.streamReadContext() == null || parser.streamReadContext().currentName() == null) {
            return null;
        }
        String name = parser.streamReadContext().currentName();
        return ("Duplicate Object property \"" + name + "\"").equals(ex.getOriginalMessage()) ? name : null;
    }

    private static String path(JacksonException ex) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : ex.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            }
            else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == BigInteger.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class
                || type == BigDecimal.class) {
            return "a number";
        }
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "a valid " + type.getSimpleName();
    }

    private static String known(Collection<Object> ids) {
        return ids == null ? "" : String.join(", ", ids.stream().map(String::valueOf).sorted().toList());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    static <T extends Throwable> T findCause(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private Mono<ResponseEntity<Object>> problem(ApiException ex) {
        return Mono.just(ResponseEntity.status(ex.getStatusCode()).headers(ex.getHeaders()).body(ex.getBody()));
    }
}
