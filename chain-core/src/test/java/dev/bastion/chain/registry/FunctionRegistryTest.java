package dev.bastion.chain.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.chain.spi.FrameBuilder;
import dev.bastion.chain.spi.FrameView;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.SecurityFunctionFactory;
import dev.bastion.chain.spi.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionRegistryTest {
    @TempDir
    Path temp;

    @Test
    void findsFunctionsOnTheClassPath() throws Exception {
        try (FunctionRegistry registry = FunctionRegistry.fromClassPath(getClass().getClassLoader())) {
            assertTrue(registry.find("classpath-pass").isPresent());
            assertTrue(registry.find("nonexistent").isEmpty());
        }
    }

    @Test
    void loadsEachPluginJarInItsOwnClassLoader() throws Exception {
        Path plugins = Files.createDirectory(temp.resolve("plugins"));
        PluginJars.build(plugins, "alpha.jar", "alpha", "alpha-drop");
        PluginJars.build(plugins, "beta.jar", "beta", "beta-drop");
        Files.writeString(plugins.resolve("notes.txt"), "not a jar");
        try (FunctionRegistry registry = FunctionRegistry.load(getClass().getClassLoader(), plugins)) {
            assertEquals(List.of("alpha-drop", "beta-drop", "classpath-pass"), registry.names());
            SecurityFunctionFactory alpha = registry.find("alpha-drop").orElseThrow();
            SecurityFunctionFactory beta = registry.find("beta-drop").orElseThrow();
            assertTrue(alpha.getClass().getClassLoader() != beta.getClass().getClassLoader());
            assertEquals(SecurityFunctionFactory.class.getClassLoader(),
                    alpha.getClass().getClassLoader().getParent());
            assertTrue(registry.origin("alpha-drop").orElseThrow().endsWith("alpha.jar"));
            Verdict verdict = alpha.create(FunctionConfig.parse("{}")).inspect(
                    FrameView.of(FrameBuilder.tcp("10.0.0.1", 1, "10.0.0.2", 2).build()), null);
            assertEquals(Verdict.DROP, verdict);
        }
    }

    @Test
    void theHostAddsItsOwnFunctionsButCannotShadowOthers() throws Exception {
        SecurityFunctionFactory hosted = new SecurityFunctionFactory() {
            @Override
            public String name() {
                return "hosted";
            }

            @Override
            public SecurityFunction create(FunctionConfig config) {
                return (packet, flow) -> Verdict.PASS;
            }
        };
        try (FunctionRegistry registry = FunctionRegistry.fromClassPath(getClass().getClassLoader())) {
            FunctionRegistry all = registry.with(hosted);
            assertEquals(List.of("classpath-pass", "hosted"), all.names());
            assertEquals("the agent", all.origin("hosted").orElseThrow());
            assertEquals(List.of("classpath-pass"), registry.names(), "the original is unchanged");
            FunctionRegistryException e = assertThrows(FunctionRegistryException.class,
                    () -> registry.with(new ClassPathFunction()));
            assertTrue(e.getMessage().contains("'classpath-pass' is offered twice"), e.getMessage());
        }
    }

    @Test
    void aNameOfferedByTwoJarsIsAnErrorNamingBoth() throws Exception {
        Path plugins = Files.createDirectory(temp.resolve("plugins"));
        PluginJars.build(plugins, "first.jar", "first", "same-name");
        PluginJars.build(plugins, "second.jar", "second", "same-name");
        FunctionRegistryException e = assertThrows(FunctionRegistryException.class,
                () -> FunctionRegistry.load(getClass().getClassLoader(), plugins));
        assertTrue(e.getMessage().contains("'same-name' is offered twice"), e.getMessage());
        assertTrue(e.getMessage().contains("first.jar") && e.getMessage().contains("second.jar"), e.getMessage());
    }

    @Test
    void aPluginCannotShadowAClassPathFunction() throws Exception {
        Path plugins = Files.createDirectory(temp.resolve("plugins"));
        PluginJars.build(plugins, "shadow.jar", "shadow", "classpath-pass");
        FunctionRegistryException e = assertThrows(FunctionRegistryException.class,
                () -> FunctionRegistry.load(getClass().getClassLoader(), plugins));
        assertTrue(e.getMessage().contains("shadow.jar"), e.getMessage());
    }

    @Test
    void aBrokenServiceEntryNamesItsJar() throws Exception {
        Path plugins = Files.createDirectory(temp.resolve("plugins"));
        Path jar = plugins.resolve("broken.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.jar.JarEntry("META-INF/services/" + SecurityFunctionFactory.class.getName()));
            out.write("no.such.Factory\n".getBytes());
            out.closeEntry();
        }
        FunctionRegistryException e = assertThrows(FunctionRegistryException.class,
                () -> FunctionRegistry.load(getClass().getClassLoader(), plugins));
        assertTrue(e.getMessage().startsWith(jar.toString()), e.getMessage());
    }
}
