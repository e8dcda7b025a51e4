package dev.cacheops.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Starts the example blog. Nothing here mentions Cacheops: the starter wraps the data source and
 * {@code application.yml} names the tables to cache. The dashboard is the static page
 * {@code cacheops.html}, served at {@code /cacheops}.
 */
@SpringBootApplication
public class ExampleApplication {

    /**
     * Runs the application.
     *
     * @param args Spring Boot's command-line arguments, e.g. {@code --spring.profiles.active=pg}
     */
    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }

    @Bean
    WebMvcConfigurer dashboardPath() {
        return new WebMvcConfigurer() {
            @Override
            public void addViewControllers(ViewControllerRegistry registry) {
                registry.addViewController("/cacheops").setViewName("forward:/cacheops.html");
            }
        };
    }
}
