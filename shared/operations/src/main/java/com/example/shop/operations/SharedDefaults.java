package com.example.shop.operations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import com.example.shop.operations.management.ManagementPort;

/**
 * Adds the settings the shared modules give every service ({@code META-INF/shop-defaults/*.yml} of each module on
 * the classpath: store, keys, remote calls, the actuator) as the environment's last property sources, so a
 * service's own {@code application.yml}, environment variables and command-line arguments all override them.
 * Then gives the actuator its own port unless one is configured ({@link ManagementPort}).
 */
public class SharedDefaults implements EnvironmentPostProcessor, Ordered {

    static final String RESOURCES = "classpath*:META-INF/shop-defaults/*.yml";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        YamlPropertySourceLoader loader = new YamlPropertySourceLoader();
        try {
            Resource[] files = new PathMatchingResourcePatternResolver().getResources(RESOURCES);
            Arrays.sort(files, Comparator.comparing(Resource::getFilename));
            for (Resource file : files) {
                loader.load("shop-defaults/" + file.getFilename(), file)
                        .forEach(source -> environment.getPropertySources().addLast(source));
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCES, e);
        }
        ManagementPort.applyDefault(environment);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
