namespace SocketCluster.Client.Tests.Infrastructure;

/// <summary>Base of the interop tests: every test is a theory over the server targets.</summary>
public abstract class InteropTest
{
    public static TheoryData<string> Targets => ServerTargets.All;

    protected static Task<ServerUnderTest> SharedServerAsync(string target, ServerOptions? options = null) =>
        SharedServers.GetAsync(target, options);

    protected static CancellationToken TestCancellation => Xunit.TestContext.Current.CancellationToken;
}
