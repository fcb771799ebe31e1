package io.mast.testkit;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Installs {@link NettyLeaks} when the JUnit launcher starts, before any test touches Netty. */
public final class LeakDetectionListener implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        NettyLeaks.install();
    }
}
