package io.mast.broker.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.mast.broker.client.ConnectionInfo;
import io.mast.broker.plugin.LoadedPlugin.FailedAction;
import io.mast.broker.message.BrokerMessage;
import io.mast.broker.policy.LoopbackPolicy;
import io.mast.broker.policy.Policy;
import io.mast.broker.policy.Policy.PublishVerdict;
import io.mast.broker.policy.Policy.SubscribeVerdict;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import io.mast.plugin.AsyncTopicPlugin;
import io.mast.plugin.AuthDecision;
import io.mast.plugin.AuthPlugin;
import io.mast.plugin.BrokerContext;
import io.mast.plugin.BrokerPlugin;
import io.mast.plugin.ClientInfo;
import io.mast.plugin.ConnectInfo;
import io.mast.plugin.Decision;
import io.mast.plugin.Message;
import io.mast.plugin.NonBlocking;
import io.mast.plugin.PublishDecision;
import io.mast.plugin.PublishPlugin;
import io.mast.plugin.TopicAction;
import io.mast.plugin.TopicPlugin;
import io.mast.plugin.support.Metrics;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PluginRuntime}'s chains, and {@link PluginPolicy}, the broker's face of them, with plugins made here: the order of the topic chain and a refusal that ends it, a
 * plugin that never answers (its timeout and failed_action), each publish plugin seeing the message as the previous
 * one left it, and the auth chain (a refusal wins, abstentions fall through, all abstaining refuses).
 */
class PluginRuntimeTest {

    private static final BrokerContext CONTEXT = (BrokerContext) Proxy.newProxyInstance(
            PluginRuntimeTest.class.getClassLoader(), new Class<?>[] {BrokerContext.class}, (p, m, a) -> null);
    private static final ClientInfo CLIENT = new ConnectionInfo("c1", "alice", MqttVersion.MQTT_5,
            new InetSocketAddress("127.0.0.1", 50000), 1883, "tcp", 60, true, 0, null);

    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<String> asked = new ArrayList<>();

    @AfterEach
    void stop() {
        blocking.shutdownNow();
        scheduler.shutdownNow();
    }

    private LoadedPlugin loaded(String name, BrokerPlugin plugin, Duration timeout, FailedAction failedAction) {
        return new LoadedPlugin(name, plugin, Set.of(), new EventLanes(name, 1, 16, new LongAdder()), timeout,
                failedAction, blocking, new Metrics());
    }

    private PluginRuntime runtime(LoadedPlugin... plugins) {
        return new PluginRuntime(List.of(plugins), blocking, scheduler, null);
    }

    /** A topic plugin answering from memory, noting that it was asked. */
    @NonBlocking
    public final class Topics extends BrokerPlugin implements TopicPlugin {
        private final String name;
        private final Decision answer;

        Topics(String name, Decision answer) {
            super(CONTEXT);
            this.name = name;
            this.answer = answer;
        }

        @Override
        public Decision authorize(ClientInfo client, TopicAction action, String topic) {
            asked.add(name);
            return answer;
        }
    }

    /** A topic plugin that never answers. */
    public static final class Silent extends BrokerPlugin implements AsyncTopicPlugin {
        Silent() {
            super(CONTEXT);
        }

        @Override
        public CompletionStage<Decision> authorize(ClientInfo client, TopicAction action, String topic) {
            return new CompletableFuture<>();
        }
    }

    /** A publish plugin that appends its name to the payload. */
    @NonBlocking
    public static final class Append extends BrokerPlugin implements PublishPlugin {
        private final String suffix;

        Append(String suffix) {
            super(CONTEXT);
            this.suffix = suffix;
        }

        @Override
        public PublishDecision onPublish(ClientInfo client, Message message) {
            return PublishDecision.proceed(message.toBuilder().payload(message.payloadAsString() + suffix).build());
        }
    }

    /** An auth plugin with a fixed answer, noting that it was asked. */
    @NonBlocking
    public final class Auth extends BrokerPlugin implements AuthPlugin {
        private final String name;
        private final AuthDecision answer;

        Auth(String name, AuthDecision answer) {
            super(CONTEXT);
            this.name = name;
            this.answer = answer;
        }

        @Override
        public AuthDecision authenticate(ConnectInfo connect) {
            asked.add(name);
            return answer;
        }
    }

    private static Decision.Kind decide(PluginRuntime rt) throws Exception {
        return rt.authorize(CLIENT, TopicAction.PUBLISH, "a/b").toCompletableFuture().get(10, TimeUnit.SECONDS).kind();
    }

    @Test
    void theTopicChainAsksInOrderAndARefusalEndsIt() throws Exception {
        PluginRuntime rt = runtime(
                loaded("first", new Topics("first", Decision.ABSTAIN), Duration.ofSeconds(5), FailedAction.DENY),
                loaded("second", new Topics("second", Decision.DENY), Duration.ofSeconds(5), FailedAction.DENY),
                loaded("third", new Topics("third", Decision.ALLOW), Duration.ofSeconds(5), FailedAction.DENY));
        assertThat(decide(rt)).isEqualTo(Decision.Kind.DENY);
        assertThat(asked).containsExactly("first", "second");
    }

    @Test
    void aChainOfInlinePluginsAnswersAtOnce() {
        PluginRuntime rt = runtime(
                loaded("first", new Topics("first", Decision.ALLOW), Duration.ofSeconds(5), FailedAction.DENY));
        assertThat(rt.authorize(CLIENT, TopicAction.PUBLISH, "a/b").toCompletableFuture()).isCompletedWithValue(
                Decision.ALLOW);
    }

    @Test
    void aPluginThatNeverAnswersTimesOutAndItsFailedActionDecides() throws Exception {
        PluginRuntime denying = runtime(loaded("silent", new Silent(), Duration.ofMillis(50), FailedAction.DENY),
                loaded("after", new Topics("after", Decision.ALLOW), Duration.ofSeconds(5), FailedAction.DENY));
        assertThat(decide(denying)).isEqualTo(Decision.Kind.DENY);
        assertThat(asked).as("a refusal by timeout ends the chain").isEmpty();

        PluginRuntime ignoring = runtime(loaded("silent", new Silent(), Duration.ofMillis(50), FailedAction.IGNORE),
                loaded("after", new Topics("after", Decision.DENY), Duration.ofSeconds(5), FailedAction.DENY));
        assertThat(decide(ignoring)).as("ignored, the next plugin decides").isEqualTo(Decision.Kind.DENY);
        assertThat(asked).containsExactly("after");
    }

    @Test
    void eachPublishPluginSeesTheMessageAsThePreviousOneLeftIt() throws Exception {
        PluginRuntime rt = runtime(
                loaded("a", new Append("-a"), Duration.ofSeconds(5), FailedAction.DENY),
                loaded("b", new Append("-b"), Duration.ofSeconds(5), FailedAction.DENY));
        PublishDecision d = rt.onPublish(CLIENT, Message.of("t", "m")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(d.kind()).isEqualTo(PublishDecision.Kind.CONTINUE);
        assertThat(d.message().payloadAsString()).isEqualTo("m-a-b");
    }

    @Test
    void theAuthChainFallsThroughAbstentionsAndStopsAtARefusal() throws Exception {
        PluginRuntime rt = runtime(
                loaded("abstains", new Auth("abstains", AuthDecision.abstain()), Duration.ofSeconds(5),
                        FailedAction.DENY),
                loaded("allows", new Auth("allows", AuthDecision.allow()), Duration.ofSeconds(5), FailedAction.DENY),
                loaded("denies", new Auth("denies", AuthDecision.badCredentials()), Duration.ofSeconds(5),
                        FailedAction.DENY));
        ConnectInfo connect = (ConnectInfo) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConnectInfo.class}, (p, m, a) -> m.getName().equals("clientId") ? "c1" : null);
        AuthDecision d = rt.authenticate(connect, false).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(d.kind()).isEqualTo(AuthDecision.Kind.DENY);
        assertThat(asked).containsExactly("abstains", "allows", "denies");

        asked.clear();
        PluginRuntime allAbstain = runtime(loaded("abstains", new Auth("abstains", AuthDecision.abstain()),
                Duration.ofSeconds(5), FailedAction.DENY));
        AuthDecision none = allAbstain.authenticate(connect, false).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(none.kind()).isEqualTo(AuthDecision.Kind.DENY);
        assertThat(PluginRuntime.isAllAbstained(none)).isTrue();
    }

    private static final ConnectionInfo USER = new ConnectionInfo("c1", "alice", MqttVersion.MQTT_5,
            new InetSocketAddress("127.0.0.1", 50000), 1883, "tcp", 60, true, 0, null);

    private static BrokerMessage message(String topic, String payload) {
        return new BrokerMessage(topic, payload.getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false,
                MqttProperties.EMPTY, "c1", System.currentTimeMillis(), 0);
    }

    @Test
    void thePolicyTurnsARefusalIntoTheReasonCodeOfThePacketAndLetsASuperuserThrough() throws Exception {
        Policy policy = runtime(loaded("deny", new Topics("deny", Decision.DENY), Duration.ofSeconds(5),
                FailedAction.DENY)).policy(new LoopbackPolicy());
        PublishVerdict refused = policy.authorizePublish(USER, message("a/b", "x")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(refused.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        SubscribeVerdict notGranted = policy.authorizeSubscribe(USER, "a/#", Qos.AT_LEAST_ONCE).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(notGranted.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);

        asked.clear();
        PublishVerdict root = policy.authorizePublish(USER.asSuperuser(), message("a/b", "x")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(root.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        assertThat(asked).as("a superuser's topics are not asked about").isEmpty();
        assertThat(policy.authorizePublish(USER.asSuperuser(), message("$SYS/x", "x")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS).reasonCode()).as("no client publishes to $SYS").isNotEqualTo(ReasonCode.SUCCESS);
    }

    @Test
    void aMessageChangedByAPublishPluginIsWhatThePolicyHandsOn() throws Exception {
        Policy policy = runtime(loaded("a", new Append("-a"), Duration.ofSeconds(5), FailedAction.DENY))
                .policy(new LoopbackPolicy());
        PublishVerdict v = policy.authorizePublish(USER, message("t", "m")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(v.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        assertThat(new String(v.message().payload(), StandardCharsets.UTF_8)).isEqualTo("m-a");
    }
}
