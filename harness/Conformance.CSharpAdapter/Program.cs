using Conformance.CSharpAdapter;
using Conformance.Engine.Drivers;
using Conformance.Engine.Drivers.Adapters;

// dotnet harness/Conformance.CSharpAdapter/bin/Release/net10.0/Conformance.CSharpAdapter.dll [--capabilities LIST]
// Serves the C# reference client over the client adapter protocol on stdin/stdout; exits when stdin closes.
IReadOnlyList<string> capabilities = ClientCapabilities.All; // the C# reference client has them all (batching: ClientSocket.Batching.cs)
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--capabilities" && i + 1 < args.Length)
    {
        capabilities = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (capabilities.FirstOrDefault(c => !ClientCapabilities.All.Contains(c)) is { } unknown)
        {
            Console.Error.WriteLine($"Conformance.CSharpAdapter: unknown capability {unknown}; known: {string.Join(", ", ClientCapabilities.All)}");
            return 2;
        }
    }
    else
    {
        Console.Error.WriteLine($"Conformance.CSharpAdapter: unknown argument {args[i]}\nusage: Conformance.CSharpAdapter [--capabilities reconnect,pubsub,auth,batching]");
        return 2;
    }
}

var version = typeof(SocketCluster.Client.ClientSocket).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
var hello = new AdapterHello(1, "SocketCluster.Client (C# reference)", version, [1, 2], capabilities);
await using var server = new AdapterServer(new CSharpClientDriver(), hello, Console.In, Console.Out);
await server.RunAsync();
return 0;
