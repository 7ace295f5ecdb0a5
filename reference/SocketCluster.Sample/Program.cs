using SocketCluster.Sample;
using SocketCluster.Server.Options;

// The sample's entry point: parse the command line, start the server, print "LISTENING <port>".
SampleCommandLine commandLine;
try
{
    commandLine = SampleCommandLine.Parse(args, Environment.GetEnvironmentVariable);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"sample: {e.Message}");
    return 2;
}

SampleServerHandle handle;
try
{
    handle = await SampleServer.StartAsync(commandLine.Options);
}
catch (InvalidSocketClusterOptionsException e)
{
    Console.Error.WriteLine($"sample: {e.Message}");
    return 2;
}
catch (IOException e)
{
    Console.Error.WriteLine($"sample: cannot listen on {commandLine.Options.Host}:{commandLine.Options.Port}: {e.Message}");
    return 1;
}

await using (handle)
{
    Console.Out.WriteLine($"LISTENING {handle.Port}");
    Console.Out.Flush();
    Console.Error.WriteLine($"sample: serving {handle.HttpUrl} (SocketCluster at {handle.WebSocketUrl})");
    if (commandLine.ExitOnStdinClose)
    {
        // Never outlive the process that started us: stop when stdin closes.
        _ = Task.Run(async () =>
        {
            using var stdin = Console.OpenStandardInput();
            var buffer = new byte[256];
            while (await stdin.ReadAsync(buffer) > 0) { }
            await handle.DisposeAsync();
        });
    }
    await handle.WaitForShutdownAsync();
}
return 0;
