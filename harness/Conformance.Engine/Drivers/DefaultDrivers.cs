using Conformance.Engine.Support;

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
                return await JsClientDriver.StartAsync(name, ct).ConfigureAwait(false);
            });
    }
}
