using Conformance.Mutants;

namespace Conformance.Mutants.Tests;

/// <summary>Records what a mutation session sends, for unit tests without sockets.</summary>
internal sealed class FakeRelay : IRelay
{
    private readonly object _gate = new();

    public string Path => "/socketcluster/";

    public string Query => "";

    public List<string> ToClientFrames { get; } = [];

    public List<string> ToServerFrames { get; } = [];

    public (int Code, string? Reason)? ClientClose { get; private set; }

    public (int Code, string? Reason)? ServerClose { get; private set; }

    public bool ClientAborted { get; private set; }

    public void ToClient(WireFrame frame) { lock (_gate) ToClientFrames.Add(frame.Text); }

    public void ToServer(WireFrame frame) { lock (_gate) ToServerFrames.Add(frame.Text); }

    public void CloseClient(int code, string? reason) => ClientClose ??= (code, reason);

    public void CloseServer(int code, string? reason) => ServerClose ??= (code, reason);

    public void AbortClient() => ClientAborted = true;

    public void AbortServer() { }

    public string[] ClientFramesSnapshot() { lock (_gate) return [.. ToClientFrames]; }
}

/// <summary>Drives one mutation session through a scripted exchange.</summary>
internal sealed class SessionDriver
{
    public SessionDriver(string mutationId) : this(MutationCatalog.Get(mutationId)) { }

    public SessionDriver(Mutation mutation)
    {
        Session = mutation.CreateSession();
        Session.OnOpenedAsync(Relay).AsTask().GetAwaiter().GetResult();
    }

    public MutationSession Session { get; }

    public FakeRelay Relay { get; } = new();

    public SessionDriver FromClient(string text)
    {
        Session.OnClientFrameAsync(WireFrame.FromText(text), Relay).AsTask().GetAwaiter().GetResult();
        return this;
    }

    public SessionDriver FromServer(string text)
    {
        Session.OnServerFrameAsync(WireFrame.FromText(text), Relay).AsTask().GetAwaiter().GetResult();
        return this;
    }

    public SessionDriver ServerCloses(int code, string reason = "")
    {
        Session.OnServerCloseAsync(code, reason, Relay).AsTask().GetAwaiter().GetResult();
        return this;
    }

    /// <summary>The usual start: the client's handshake (cid 1) and the server's answer.</summary>
    public SessionDriver Handshake(string response = """{"rid":1,"data":{"id":"abc","pingTimeout":3000,"isAuthenticated":false}}""", string? token = null)
    {
        FromClient(token is null
            ? """{"event":"#handshake","data":{"authToken":null},"cid":1}"""
            : $$"""{"event":"#handshake","data":{"authToken":"{{token}}"},"cid":1}""");
        return FromServer(response);
    }
}
