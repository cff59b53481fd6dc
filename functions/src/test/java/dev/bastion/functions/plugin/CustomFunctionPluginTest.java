package dev.bastion.functions.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.chain.definition.ChainLoader;
import dev.bastion.chain.definition.LoadedChains;
import dev.bastion.chain.registry.FunctionRegistry;
import dev.bastion.chain.spi.ConfigException;
import dev.bastion.chain.spi.FunctionConfig;
import dev.bastion.chain.spi.SecurityFunction;
import dev.bastion.chain.spi.SecurityFunctionFactory;
import dev.bastion.chain.spi.Verdict;
import dev.bastion.functions.support.Conversation;
import dev.bastion.functions.support.Wire;
import dev.bastion.policies.source.Problem;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The custom-function example, built from its sources into a jar as its Maven module does, dropped into a
 * plugins directory and used in a chain: nothing of it is on this module's class path.
 */
class CustomFunctionPluginTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "custom-function");

    @TempDir
    static Path work;
    static Path plugins;

    @BeforeAll
    static void buildThePluginJar() throws IOException {
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "--release", "17", "-cp", compileClassPath()));
        try (Stream<Path> sources = Files.walk(EXAMPLE.resolve("src/main/java"))) {
            sources.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)), "the example compiles against chain-core");
        plugins = Files.createDirectories(work.resolve("plugins"));
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(plugins.resolve("user-agent-block.jar")))) {
            add(jar, classes);
            add(jar, EXAMPLE.resolve("src/main/resources"));
        }
    }

    /** chain-core and what its SPI signatures mention (policies, SnakeYAML), as the example's "provided" scope. */
    private static String compileClassPath() {
        List<String> entries = new ArrayList<>();
        for (Class<?> type : List.of(SecurityFunctionFactory.class, Problem.class, org.yaml.snakeyaml.nodes.Node.class)) {
            entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().getPath()).toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void add(JarOutputStream jar, Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                jar.putNextEntry(new JarEntry(root.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, jar);
                jar.closeEntry();
            }
        }
    }

    @Test
    void theExampleIsNotOnTheClassPath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.example.bastion.UserAgentBlockFactory"));
    }

    @Test
    void theJarInThePluginsDirectoryOffersItsFunctionBesideTheBuiltIns() throws Exception {
        try (FunctionRegistry registry = FunctionRegistry.load(getClass().getClassLoader(), plugins)) {
            assertTrue(registry.names().containsAll(List.of("user-agent-block", "http-filter", "l4-guard")), registry.names().toString());
            assertTrue(registry.origin("user-agent-block").orElseThrow().endsWith("user-agent-block.jar"));
            SecurityFunction function = registry.find("user-agent-block").orElseThrow()
                    .create(FunctionConfig.parse("block: [sqlmap, Nikto]"));

            FullHttpRequest scan = Wire.httpRequest("GET", "/?id=1", "shop");
            scan.headers().set(HttpHeaderNames.USER_AGENT, "sqlmap/1.7.2#stable (https://sqlmap.org)");
            Conversation attacker = Conversation.tcp(function, 80);
            attacker.handshake();
            List<Verdict> verdicts = attacker.client(Wire.http(scan), 20);
            assertEquals(Verdict.BLOCK_FLOW, verdicts.get(verdicts.size() - 1), "decided once the head is complete");
            assertTrue(verdicts.subList(0, verdicts.size() - 1).stream().allMatch(v -> v == Verdict.PASS));
            assertTrue(attacker.flow().alerts().get(0).contains("sqlmap/1.7.2"));

            FullHttpRequest browser = Wire.httpRequest("GET", "/", "shop");
            browser.headers().set(HttpHeaderNames.USER_AGENT, "Mozilla/5.0 (X11; Linux x86_64)");
            Conversation user = Conversation.tcp(function, 80);
            user.handshake();
            assertEquals(Verdict.PASS, user.client(Wire.http(browser)));
            assertFalse(user.flow().alerts().iterator().hasNext());
            function.close();
        }
    }

    @Test
    void aChainFileCanNameThePluginFunction() throws Exception {
        Path chains = Files.createDirectories(work.resolve("chains"));
        Files.writeString(chains.resolve("web.yaml"), """
                apiVersion: bastion.dev/v1
                kind: SecurityChain
                name: web-scanners
                context:
                  containerSets: [webapp]
                flows:
                  ports: [tcp/80]
                functions:
                  - name: http-filter
                    config:
                      deny: [{pathPrefix: /admin}]
                  - name: user-agent-block
                    config:
                      block: [sqlmap, nikto, masscan]
                """);
        try (FunctionRegistry registry = FunctionRegistry.load(getClass().getClassLoader(), plugins);
             LoadedChains loaded = ChainLoader.load(chains, registry, Optional.empty())) {
            assertEquals(List.of("http-filter", "user-agent-block"), loaded.chains().get("web-scanners").functionNames());
        }
    }

    @Test
    void thePluginValidatesItsConfiguration() throws Exception {
        try (FunctionRegistry registry = FunctionRegistry.load(getClass().getClassLoader(), plugins)) {
            SecurityFunctionFactory factory = registry.find("user-agent-block").orElseThrow();
            ConfigException missing = assertThrows(ConfigException.class, () -> factory.create(FunctionConfig.parse("maxHeadBytes: 1024")));
            assertTrue(missing.getMessage().contains("block: list at least one User-Agent part"), missing.getMessage());
            ConfigException blank = assertThrows(ConfigException.class, () -> factory.create(FunctionConfig.parse("block: [sqlmap, ' ']")));
            assertEquals("<inline>:1: block[1]: an empty part would match every client", blank.getMessage());
        }
    }
}
