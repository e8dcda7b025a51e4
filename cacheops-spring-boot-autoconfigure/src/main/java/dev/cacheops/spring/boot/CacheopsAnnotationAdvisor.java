package dev.cacheops.spring.boot;

import dev.cacheops.Cacheops;
import dev.cacheops.spring.Cached;
import dev.cacheops.spring.NoCache;
import java.lang.reflect.Method;
import java.time.Duration;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcutAdvisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Applies {@link Cached} and {@link NoCache}: matches methods carrying either (on the method, an
 * interface method it implements, or a type), and runs them inside
 * {@link Cacheops#cache(java.util.function.Supplier)} or {@link Cacheops#nocache}. The method's
 * own annotation wins over its type's; {@link NoCache} wins over {@link Cached} at the same level.
 * Thread-safe.
 */
final class CacheopsAnnotationAdvisor extends StaticMethodMatcherPointcutAdvisor {
    private static final long serialVersionUID = 1L;

    CacheopsAnnotationAdvisor(ObjectProvider<Cacheops> cacheops) {
        setAdvice(new Interceptor(cacheops));
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
        return decide(method, targetClass) != null;
    }

    /** The annotation that applies: a {@link NoCache}, a {@link Cached}, or null. */
    static Object decide(Method method, Class<?> targetClass) {
        Method specific = targetClass == null ? method : AopUtils.getMostSpecificMethod(method, targetClass);
        for (Method m : specific == method ? new Method[] {method} : new Method[] {specific, method}) {
            Object found = onElement(m);
            if (found != null) {
                return found;
            }
        }
        Object found = onType(method.getDeclaringClass());
        if (found == null && targetClass != null) {
            found = onType(targetClass);
        }
        return found;
    }

    private static Object onElement(Method m) {
        NoCache no = AnnotatedElementUtils.findMergedAnnotation(m, NoCache.class);
        if (no != null) {
            return no;
        }
        return AnnotatedElementUtils.findMergedAnnotation(m, Cached.class);
    }

    private static Object onType(Class<?> type) {
        NoCache no = AnnotatedElementUtils.findMergedAnnotation(type, NoCache.class);
        if (no != null) {
            return no;
        }
        return AnnotatedElementUtils.findMergedAnnotation(type, Cached.class);
    }

    private static final class Interceptor implements MethodInterceptor {
        private final ObjectProvider<Cacheops> cacheops;

        Interceptor(ObjectProvider<Cacheops> cacheops) {
            this.cacheops = cacheops;
        }

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            Class<?> target = invocation.getThis() == null ? null : AopUtils.getTargetClass(invocation.getThis());
            Object decision = decide(invocation.getMethod(), target);
            Cacheops c = cacheops.getIfAvailable();
            if (decision == null || c == null) {
                return invocation.proceed();
            }
            try {
                if (decision instanceof NoCache) {
                    return c.nocache(() -> proceed(invocation));
                }
                String timeout = ((Cached) decision).timeout();
                if (timeout.isBlank()) {
                    return c.cache(() -> proceed(invocation));
                }
                Duration d = DurationStyle.detectAndParse(timeout.trim());
                return c.cache(d, () -> proceed(invocation));
            } catch (Carrier e) {
                throw e.getCause();
            }
        }

        private static Object proceed(MethodInvocation invocation) {
            try {
                return invocation.proceed();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new Carrier(e);
            }
        }
    }

    /** Carries a checked exception out of the {@code Supplier} the scope takes. */
    private static final class Carrier extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Carrier(Throwable cause) {
            super(null, cause, false, false);
        }
    }
}
