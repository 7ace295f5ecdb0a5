using Conformance.Engine.Support;

namespace Conformance.Engine.Drivers;

/// <summary>The client drivers every session knows: csharp, and the official JS client in node, chromium and jint.</summary>
internal static class DefaultDrivers
{
    public static void Register()
    {
        ClientDrivers.DefaultFactories.TryAdd("csharp", (_, _) => Task.FromResult<IClientDriver>(new CSharpClientDriver()));
        foreach (var name in new[] { "node", "chromium", "jint" })
            ClientDrivers.DefaultFactories.TryAdd(name, (_, ct) => JsClientDriver.StartAsync(name, ct));
    }
}
