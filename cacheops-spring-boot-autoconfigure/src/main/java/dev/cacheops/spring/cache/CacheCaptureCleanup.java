package dev.cacheops.spring.cache;

import java.lang.reflect.Method;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcutAdvisor;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Closes the captures a {@code @Cacheable} miss opened when the method fails: Spring then never
 * calls {@code put}, and the capture would otherwise stay open on the thread. Runs outside
 * Spring's cache interceptor (highest precedence). Thread-safe.
 */
public final class CacheCaptureCleanup extends StaticMethodMatcherPointcutAdvisor {
    private static final long serialVersionUID = 1L;

    /** The advisor, ordered first. */
    public CacheCaptureCleanup() {
        setOrder(Ordered.HIGHEST_PRECEDENCE);
        setAdvice((MethodInterceptor) invocation -> {
            int depth = CacheopsCache.openCaptures();
            try {
                return invocation.proceed();
            } finally {
                CacheopsCache.abandonNewerThan(depth);
            }
        });
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
        Method specific = targetClass == null ? method : AopUtils.getMostSpecificMethod(method, targetClass);
        return AnnotatedElementUtils.hasAnnotation(specific, Cacheable.class)
                || AnnotatedElementUtils.hasAnnotation(method, Cacheable.class)
                || AnnotatedElementUtils.hasAnnotation(specific.getDeclaringClass(), Cacheable.class);
    }
}
