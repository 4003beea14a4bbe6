package org.clprop.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.clprop.testutil.ChildJvm;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A JVM that would build an OpenCL backend without the JDK's libjsig preloaded is warned once, with
 * the variable to set. (The check itself, in a child: building the backend there would compile
 * kernels without signal chaining, the very crash the warning is about.)
 */
class SignalChainingTest {

  /** Asks twice whether chaining is set up, as two backends would. */
  public static void main(String[] args) {
    SignalChaining.warnOnceIfMissing();
    SignalChaining.warnOnceIfMissing();
  }

  @Test
  void missingLibjsigIsOneWarningNamingTheVariable() throws IOException, InterruptedException {
    Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "signal chaining is Linux's");
    Map<String, String> env = new HashMap<>();
    env.put("LD_PRELOAD", null);
    ChildJvm.Result r = ChildJvm.run(ChildJvm.command(SignalChainingTest.class), env, 60);
    assertEquals(0, r.code(), r.toString());
    assertEquals(1, r.err().lines().filter(l -> l.contains(" WARN ")).count(), r.toString());
    assertTrue(r.err().contains("LD_PRELOAD=" + System.getProperty("java.home") + "/lib/libjsig.so"), r.toString());

    env.put("LD_PRELOAD", System.getProperty("java.home") + "/lib/libjsig.so");
    ChildJvm.Result ok = ChildJvm.run(ChildJvm.command(SignalChainingTest.class), env, 60);
    assertEquals(0, ok.code(), ok.toString());
    assertTrue(ok.err().lines().noneMatch(l -> l.contains(" WARN ")), ok.toString());
  }
}
