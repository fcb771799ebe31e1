package io.mast.plugins;

import static io.mast.plugins.TestContext.connect;
import static org.assertj.core.api.Assertions.assertThat;

import io.mast.plugin.AuthDecision;
import io.mast.plugin.Reason;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnonymousAuthPluginTest {

    @Test
    void allowsAnonymousByDefaultAndAbstainsForUsers() {
        try (TestContext ctx = TestContext.of(AnonymousAuthPlugin.class, Map.of())) {
            AnonymousAuthPlugin p = new AnonymousAuthPlugin(ctx);
            assertThat(p.authenticate(connect(null, null, "c")).kind()).isEqualTo(AuthDecision.Kind.ALLOW);
            assertThat(p.authenticate(connect("u", "p", "c")).kind()).isEqualTo(AuthDecision.Kind.ABSTAIN);
        }
    }

    @Test
    void refusesAnonymousWith0x87AndAReason() {
        try (TestContext ctx = TestContext.of(AnonymousAuthPlugin.class, Map.of("allow_anonymous", false))) {
            AnonymousAuthPlugin p = new AnonymousAuthPlugin(ctx);
            AuthDecision d = p.authenticate(connect(null, "p", "c"));
            assertThat(d.kind()).isEqualTo(AuthDecision.Kind.DENY);
            assertThat(d.reason()).isEqualTo(Reason.NOT_AUTHORIZED);
            assertThat(d.reasonString()).contains("anonymous");
            assertThat(p.authenticate(connect("u", null, "c")).kind()).isEqualTo(AuthDecision.Kind.ABSTAIN);
        }
    }
}
