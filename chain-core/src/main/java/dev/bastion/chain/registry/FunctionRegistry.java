package dev.bastion.chain.registry;

import dev.bastion.chain.spi.SecurityFunctionFactory;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The security functions that chains may name: every {@link SecurityFunctionFactory} on the class path plus
 * those in the jars of a plugins directory. Each jar gets its own class loader (parent: chain-core's), so
 * plugins cannot see one another; a name offered twice is an error that names both origins.
 */
public final class FunctionRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FunctionRegistry.class);

    private final Map<String, Registered> byName;
    private final List<URLClassLoader> pluginLoaders;

    private record Registered(SecurityFunctionFactory factory, String origin) {
    }

    private FunctionRegistry(Map<String, Registered> byName, List<URLClassLoader> pluginLoaders) {
        this.byName = byName;
        this.pluginLoaders = pluginLoaders;
    }

    /** The functions on the class path of {@code classLoader} only. */
    public static FunctionRegistry fromClassPath(ClassLoader classLoader) throws FunctionRegistryException {
        return load(classLoader, null);
    }

    /**
     * The functions on the class path of {@code classLoader} and in every {@code *.jar} directly inside
     * {@code pluginsDirectory} (null or missing: none).
     */
    public static FunctionRegistry load(ClassLoader classLoader, Path pluginsDirectory)
            throws FunctionRegistryException {
        Map<String, Registered> byName = new TreeMap<>();
        List<URLClassLoader> loaders = new ArrayList<>();
        try {
            for (SecurityFunctionFactory factory : discover(ServiceLoader.load(SecurityFunctionFactory.class,
                    classLoader), null, "class path")) {
                register(byName, factory, originOf(factory));
            }
            for (Path jar : jars(pluginsDirectory)) {
                URLClassLoader loader = new URLClassLoader(new URL[] {url(jar)},
                        FunctionRegistry.class.getClassLoader());
                loaders.add(loader);
                List<SecurityFunctionFactory> found = discover(
                        ServiceLoader.load(SecurityFunctionFactory.class, loader), loader, jar.toString());
                if (found.isEmpty()) {
                    LOG.warn("plugin jar {} offers no {}", jar, SecurityFunctionFactory.class.getName());
                }
                for (SecurityFunctionFactory factory : found) {
                    register(byName, factory, jar.toString());
                }
            }
        } catch (FunctionRegistryException | RuntimeException e) {
            closeAll(loaders);
            throw e;
        }
        return new FunctionRegistry(Collections.unmodifiableMap(byName), List.copyOf(loaders));
    }

    /** A registry of exactly these factories, for tests and embedding. */
    public static FunctionRegistry of(SecurityFunctionFactory... factories) throws FunctionRegistryException {
        Map<String, Registered> byName = new TreeMap<>();
        for (SecurityFunctionFactory factory : factories) {
            register(byName, factory, originOf(factory));
        }
        return new FunctionRegistry(Collections.unmodifiableMap(byName), List.of());
    }

    /**
     * This registry and the functions its host provides itself (the agent's {@code suricata}, which needs the
     * agent's processes): one more registry sharing the plugin loaders, so close only one of the two.
     */
    public FunctionRegistry with(SecurityFunctionFactory... hosted) throws FunctionRegistryException {
        Map<String, Registered> all = new TreeMap<>(byName);
        for (SecurityFunctionFactory factory : hosted) {
            register(all, factory, "the agent");
        }
        return new FunctionRegistry(Collections.unmodifiableMap(all), pluginLoaders);
    }

    public Optional<SecurityFunctionFactory> find(String name) {
        return Optional.ofNullable(byName.get(name)).map(Registered::factory);
    }

    /** Function names in alphabetical order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** Where the function of that name comes from: a jar, a class directory or a class name. */
    public Optional<String> origin(String name) {
        return Optional.ofNullable(byName.get(name)).map(Registered::origin);
    }

    /** Closes the plugin class loaders; functions created from them must be closed first. */
    @Override
    public void close() {
        closeAll(pluginLoaders);
    }

    /** Providers defined by {@code owner} (null: any loader), instantiated; a broken provider names its origin. */
    private static List<SecurityFunctionFactory> discover(ServiceLoader<SecurityFunctionFactory> services,
                                                          ClassLoader owner, String where)
            throws FunctionRegistryException {
        List<SecurityFunctionFactory> out = new ArrayList<>();
        try {
            for (ServiceLoader.Provider<SecurityFunctionFactory> provider : services.stream().toList()) {
                if (owner == null || provider.type().getClassLoader() == owner) {
                    out.add(provider.get());
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new FunctionRegistryException(where + ": cannot load a security function: " + e.getMessage(), e);
        }
        return out;
    }

    private static void register(Map<String, Registered> byName, SecurityFunctionFactory factory, String origin)
            throws FunctionRegistryException {
        String name = factory.name();
        if (name == null || name.isBlank()) {
            throw new FunctionRegistryException(origin + ": " + factory.getClass().getName() + " has no name");
        }
        Registered earlier = byName.putIfAbsent(name, new Registered(factory, origin));
        if (earlier != null) {
            throw new FunctionRegistryException("security function '" + name + "' is offered twice: by "
                    + earlier.factory().getClass().getName() + " in " + earlier.origin() + " and by "
                    + factory.getClass().getName() + " in " + origin);
        }
    }

    private static List<Path> jars(Path directory) throws FunctionRegistryException {
        if (directory == null || !Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                    .sorted().toList();
        } catch (IOException e) {
            throw new FunctionRegistryException("cannot list plugins directory " + directory + ": " + e, e);
        }
    }

    private static URL url(Path jar) throws FunctionRegistryException {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new FunctionRegistryException(jar + ": not a usable path", e);
        }
    }

    private static String originOf(SecurityFunctionFactory factory) {
        CodeSource source = factory.getClass().getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null
                ? factory.getClass().getName() : source.getLocation().getPath();
    }

    private static void closeAll(List<URLClassLoader> loaders) {
        for (URLClassLoader loader : loaders) {
            try {
                loader.close();
            } catch (IOException e) {
                LOG.warn("closing plugin class loader: {}", e.toString());
            }
        }
    }
}
