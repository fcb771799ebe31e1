package io.mast.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AuthDecisionTest {

    @Test
    void superuserIsAnAllow() {
        assertThat(AuthDecision.allowSuperuser().kind()).isEqualTo(AuthDecision.Kind.ALLOW);
        assertThat(AuthDecision.allowSuperuser().superuser()).isTrue();
        assertThat(AuthDecision.allow().superuser()).isFalse();
        assertThat(AuthDecision.allow().asSuperuser().superuser()).isTrue();
        assertThat(AuthDecision.allow().superuser()).as("allow() itself is unchanged").isFalse();
        assertThat(AuthDecision.allowSuperuser()).hasToString("ALLOW(superuser)");
    }

    @Test
    void asSuperuserKeepsTheAuthenticationData() {
        AuthDecision d = AuthDecision.allowWith(new byte[] {1, 2}).asSuperuser();
        assertThat(d.superuser()).isTrue();
        assertThat(d.authenticationData()).containsExactly(1, 2);
    }

    @Test
    void onlyAnAllowCanMakeASuperuser() {
        assertThatThrownBy(() -> AuthDecision.badCredentials().asSuperuser()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> AuthDecision.abstain().asSuperuser()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> AuthDecision.continueWith(new byte[0]).asSuperuser())
                .isInstanceOf(IllegalStateException.class);
    }
}
