using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Conformance.JsHosts;

namespace Conformance.Engine.Drivers;

/// <summary>The client drivers every session knows: csharp, and the official JS client in node, chromium and jint.</summary>
internal static class DefaultDrivers
{
    public static void Register()
    {
        ClientDrivers.DefaultFactories.TryAdd("csharp", (_, _) => Task.FromResult<IClientDriver>(new CSharpClientDriver()));
        foreach (var name in new[] { "node", "chromium", "jint" })
            ClientDrivers.DefaultFactories.TryAdd(name, async (session, ct) =>
            {
                await NodePackages.EnsureInstalledAsync(session.Settings.JsFixturesFolder).ConfigureAwait(false);
                try
                {
                    return await JsClientDriver.StartAsync(name, ct).ConfigureAwait(false);
                }
                catch (JsHostUnavailableException e) when (Environment.GetEnvironmentVariable("CONFORMANCE_REQUIRE_DRIVERS") != "1")
                {
                    // A test tool missing here (e.g. no Chromium) is not a verdict on the implementation under test:
                    // that driver's scenarios are skipped with the reason. CI sets CONFORMANCE_REQUIRE_DRIVERS=1.
                    throw new ScenarioSkippedException(NotApplicableKind.DriverUnavailable, $"the {name} client driver is not available on this machine: {e.Message}");
                }
            });
    }
}
