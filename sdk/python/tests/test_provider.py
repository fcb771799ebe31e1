"""Declaring a provider: mistakes are reported when the class is defined."""

import pytest

from mast_exhook import HookProvider, Properties, hook
from mast_exhook._provider import check_topic_filter, topic_matches


def test_hook_on_a_method_that_is_not_a_hook_is_refused():
    with pytest.raises(TypeError, match="on_message_published"):
        class Misspelled(HookProvider):
            @hook
            def on_message_published(self, message):
                return message


def test_topics_only_on_message_hooks():
    with pytest.raises(TypeError, match="message hooks only"):
        class Wrong(HookProvider):
            @hook(topics=["a/#"])
            def on_client_connected(self, clientinfo):
                pass


def test_malformed_topic_filters_are_refused():
    with pytest.raises(ValueError, match="a/#/b"):
        hook(topics=["a/#/b"])
    with pytest.raises(ValueError):
        check_topic_filter("a/b+")


def test_registered_hooks_follow_the_decorators_including_inherited_ones():
    class Base(HookProvider):
        @hook(topics="sensors/#")
        def on_message_acked(self, clientinfo, message):
            pass

    class Child(Base):
        @hook
        def on_session_created(self, clientinfo):
            pass

        def on_session_resumed(self, clientinfo):  # not decorated
            pass

    assert Child().registered_hooks() == {"session.created": [], "message.acked": ["sensors/#"]}


def test_topic_matching():
    assert topic_matches("sensors/#", "sensors")
    assert topic_matches("sensors/#", "sensors/a/b")
    assert not topic_matches("sensors/+", "sensors/a/b")
    assert topic_matches("+/a", "x/a")
    assert not topic_matches("#", "$SYS/x")
    assert not topic_matches("a/b", "a/b/c")


def test_properties():
    p = Properties([("session_expiry_interval", "60")], [("k", "v1"), ("k", "v2")])
    assert p.get("session_expiry_interval") == "60"
    assert p.get("missing") is None
    assert p.user_property("k") == "v1"
