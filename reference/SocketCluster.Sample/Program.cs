// The Basic-usage guide's server.js (socketcluster.io), in C#, top to bottom.
using SocketCluster.Protocol;
using SocketCluster.Sample.Fixture;
using SocketCluster.Server;

// Content root beside the program: appsettings.json is read wherever `dotnet run --project` is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
// let agServer = socketClusterServer.attach(httpServer, options);
// Options from appsettings.json's "SocketCluster" section, by their official names (pingInterval, origins, authKey...).
builder.Services.AddSocketCluster(builder.Configuration.GetSection("SocketCluster"));
builder.Services.AddHostedService<ServerJs>();
// httpServer.listen(8000);
builder.WebHost.UseUrls("http://localhost:8000");
// The fixture-app contract (spec/fixture-app.md): its command-line flags into the server options, --port, logging to stderr.
builder.AddConformanceFixture(args);

var app = builder.Build();
var agServer = app.MapSocketCluster("/socketcluster/");
// conformance.* procedures, middleware, /health-check, the demo page, "LISTENING <port>" on stdout.
app.MapConformanceFixture(agServer);
app.Run();

/// <summary>The guide's connection-handling loop, started with the application and stopped with it.</summary>
public sealed class ServerJs(SocketClusterServer agServer, ILogger<ServerJs> logger) : BackgroundService
{
    // A consumer created with the service, before the app listens, buffers every connection until the loop starts.
    private readonly IAsyncEnumerable<ConnectionEvent> _connections = agServer.Listener(ServerEvents.Connection).CreateConsumer();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Publish data; do not wait for an acknowledgement from the back end broker.
        agServer.Exchange.TransmitPublish("foo", "This is some data");
        try
        {
            // Publish data; wait for an acknowledgement from the back end broker (if it exists).
            await agServer.Exchange.InvokePublishAsync("foo", "This is some more data", stoppingToken);
        }
        catch (ScError error)
        {
            logger.LogWarning(error, "The broker did not acknowledge the publish");
        }

        // SocketCluster/WebSocket connection handling loop.
        await foreach (var connection in _connections.WithCancellation(stoppingToken))
        {
            var socket = connection.Socket;
            // Set up a loop to handle remote transmitted events (a handler that throws is logged, never ends the loop).
            _ = socket.Receiver("customRemoteEvent",
                data => logger.LogInformation("customRemoteEvent from {SocketId}: {Data}", socket.Id, data), stoppingToken);

            // Set up a loop to handle and respond to RPCs (a handler that throws is logged and answered with the error).
            _ = socket.Procedure("customProc", request =>
            {
                // if (request.data && request.data.bad): JS truthiness, so {bad: 0} succeeds and data need not be an object.
                if (ScData.IsTruthy(ScData.Member(request.Data, "bad")))
                {
                    request.Error(new ScError("BadCustomError", "Server failed to execute the procedure"));
                    return;
                }
                request.End("Success");
            }, stoppingToken);
        }
    }
}
