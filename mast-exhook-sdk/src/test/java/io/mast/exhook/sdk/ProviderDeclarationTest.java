package io.mast.exhook.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mast.plugin.TopicFilters;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Mistakes in a provider's declaration are reported when it is served, not when the broker calls. */
class ProviderDeclarationTest {

    static final class BothForms extends HookProvider {
        @Override
        public boolean onClientAuthenticate(ClientInfo client, boolean resultSoFar) {
            return true;
        }

        @Override
        public Answer<Boolean> answerClientAuthenticate(ClientInfo client, boolean resultSoFar) {
            return Answer.ignore();
        }
    }

    static final class TopicsOnAClientHook extends HookProvider {
        @Topics("a/#")
        @Override
        public void onClientConnected(ClientInfo client) {
        }
    }

    static final class BadFilter extends HookProvider {
        @Topics("a/#/b")
        @Override
        public void onMessageDelivered(ClientInfo client, Message message) {
        }
    }

    static final class Misspelled extends HookProvider {
        @Topics("a/#")
        public void onMessagePublished(Message message) {
        }
    }

    static final class Inherited extends BadFilterFree {
    }

    static class BadFilterFree extends HookProvider {
        @Topics("a/+/c")
        @Override
        public void onMessageAcked(ClientInfo client, Message message) {
        }
    }

    private static Dispatcher dispatcher(HookProvider p) {
        return new Dispatcher(p, new Lanes(Executors.newVirtualThreadPerTaskExecutor()));
    }

    @Test
    void overridingBothFormsOfAHookIsRefused() {
        assertThatThrownBy(() -> HookServer.serve(new BothForms(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("onClientAuthenticate").hasMessageContaining("answerClientAuthenticate");
    }

    @Test
    void topicsOnlyOnMessageHooks() {
        assertThatThrownBy(() -> dispatcher(new TopicsOnAClientHook()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("message hooks only");
        assertThatThrownBy(() -> dispatcher(new Misspelled()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("onMessagePublished");
    }

    @Test
    void malformedTopicFiltersAreRefused() {
        assertThatThrownBy(() -> dispatcher(new BadFilter()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a/#/b");
    }

    @Test
    void hooksOverriddenInASuperclassAreRegistered() {
        assertThat(dispatcher(new Inherited()).registered()).containsOnlyKeys("message.acked")
                .containsEntry("message.acked", java.util.List.of("a/+/c"));
    }

    @Test
    void topicMatching() {
        assertThat(TopicFilters.matches("sensors/#", "sensors")).isTrue();
        assertThat(TopicFilters.matches("sensors/#", "sensors/a/b")).isTrue();
        assertThat(TopicFilters.matches("sensors/+", "sensors/a/b")).isFalse();
        assertThat(TopicFilters.matches("sensors/+", "sensors/a")).isTrue();
        assertThat(TopicFilters.matches("+/a", "x/a")).isTrue();
        assertThat(TopicFilters.matches("#", "$SYS/x")).isFalse();
        assertThat(TopicFilters.matches("a/b", "a/b/c")).isFalse();
        assertThat(TopicFilters.isTopicFilter("a/+/#")).isTrue();
        assertThat(TopicFilters.isTopicFilter("#")).isTrue();
        assertThat(TopicFilters.isTopicFilter("a/#/b")).isFalse();
        assertThat(TopicFilters.isTopicFilter("a/b+")).isFalse();
        assertThat(TopicFilters.isTopicFilter("")).isFalse();
    }
}
