// The Basic-usage guide's client.js (socketcluster.io), in C#, top to bottom. Each result is printed, so a test can
// check the run against the official server: dotnet run --project reference/SocketCluster.ClientSample [ws://host:port/socketcluster/]
using SocketCluster.Client;
using SocketCluster.Protocol;

// let socket = socketClusterClient.create();
await using var socket = SocketClusterClient.Create(args.Length > 0 ? args[0] : "ws://localhost:8000/socketcluster/");

// socket.transmit('customRemoteEvent', 123);
socket.Transmit("customRemoteEvent", 123);

// let result = await socket.invoke('customProc', {foo: 'bar'});
var result = await socket.InvokeAsync<string>("customProc", new { foo = "bar" });
Console.WriteLine($"customProc: {result}"); // Success

try
{
    await socket.InvokeAsync("customProc", new { bad = true });
}
catch (ScRemoteException error)
{
    Console.WriteLine($"customProc bad: {error.Name}"); // BadCustomError
}

// let channel = socket.subscribe('foo'); for await (let data of channel) { ... }
// The consumers are created before subscribing, so neither the 'subscribe' event nor a publication can be missed.
var channel = socket.Channel("foo");
await using var subscribed = channel.Listener(ClientEvents.Subscribe).CreateConsumer();
await using var publications = channel.CreateConsumer();
channel.Subscribe();
await subscribed.NextAsync(TimeSpan.FromSeconds(10));

// Publish data; do not wait for an acknowledgement from the server.
socket.TransmitPublish("foo", "This is some data");
try
{
    // Publish data; wait for an acknowledgement from the server.
    await channel.InvokePublishAsync("This is some more data");
}
catch (ScTimeoutException)
{
    // ... Handle potential error if server does not acknowledge before timeout.
}

using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
var count = 0;
await foreach (var data in publications.As<string>().WithCancellation(deadline.Token))
{
    Console.WriteLine($"foo: {data}");
    if (++count == 2) break;
}
