using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SocketCluster.Client;
using SocketCluster.Protocol;
using SocketCluster.Server;
using SocketCluster.Server.Broker;

namespace SocketCluster.Client.Tests.Unit;

/// <summary>
/// Holds the XML doc files the library projects generate (GenerateDocumentationFile) to issue 12's rule: every public
/// member of the main types is documented, and the main calls name the exceptions they throw. The behaviour behind
/// each documented exception is tested in ErrorsAndLoggingTests (client and server), EventTests, PubSubTests and AuthTests.
/// </summary>
public sealed partial class DocCoverageTests
{
    public static TheoryData<Type> MainTypes =>
        [typeof(ServerSocket), typeof(SocketClusterServer), typeof(ClientSocket), typeof(ClientChannel), typeof(Exchange)];

    [Theory]
    [MemberData(nameof(MainTypes))]
    public void Every_public_method_and_property_of_the_main_types_has_a_doc_comment(Type type)
    {
        var docs = DocsOf(type.Assembly);
        var missing = new List<string>();
        const BindingFlags Public = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var group in type.GetMethods(Public).Where(m => !m.IsSpecialName).GroupBy(m => m.Name))
        {
            var documented = docs.Keys.Count(id => MethodId(type, group.Key).IsMatch(id) && IsDocumented(docs[id]));
            if (documented < group.Count()) missing.Add($"{group.Key}: {group.Count()} overloads, {documented} documented");
        }
        foreach (var property in type.GetProperties(Public))
            if (!docs.TryGetValue($"P:{type.FullName}.{property.Name}", out var doc) || !IsDocumented(doc)) missing.Add(property.Name);
        foreach (var constructor in type.GetConstructors())
            if (!docs.Keys.Any(id => id.StartsWith($"M:{type.FullName}.#ctor", StringComparison.Ordinal))) missing.Add("constructor");
        Assert.True(missing.Count == 0, $"{type.Name} members without a doc comment: {string.Join(", ", missing)}");
    }

    [Theory]
    [InlineData(typeof(ServerSocket), "InvokeAsync", new[] { typeof(ScTimeoutException), typeof(ScBadConnectionException), typeof(ScRemoteException), typeof(ArgumentNullException), typeof(OperationCanceledException) })]
    [InlineData(typeof(ClientSocket), "InvokeAsync", new[] { typeof(ScTimeoutException), typeof(ScBadConnectionException), typeof(ScRemoteException), typeof(ArgumentNullException), typeof(OperationCanceledException) })]
    [InlineData(typeof(ServerSocket), "Transmit", new[] { typeof(ArgumentNullException) })]
    [InlineData(typeof(ClientSocket), "Transmit", new[] { typeof(ArgumentNullException) })]
    [InlineData(typeof(ScRequest), "End", new[] { typeof(ScError) })]
    [InlineData(typeof(ScRequest), "Error", new[] { typeof(ScError) })]
    [InlineData(typeof(ProcedureRequest), "End", new[] { typeof(ScError) })]
    [InlineData(typeof(ProcedureRequest), "Error", new[] { typeof(ScError) })]
    [InlineData(typeof(ServerSocket), "Receiver", new[] { typeof(ArgumentNullException) }, true)]
    [InlineData(typeof(ServerSocket), "Procedure", new[] { typeof(ArgumentNullException) }, true)]
    [InlineData(typeof(ClientSocket), "Receiver", new[] { typeof(ArgumentNullException) }, true)]
    [InlineData(typeof(ClientSocket), "Procedure", new[] { typeof(ArgumentNullException) }, true)]
    [InlineData(typeof(SocketClusterClient), "Create", new[] { typeof(ScError) })]
    [InlineData(typeof(ClientSocket), "Subscribe", new[] { typeof(ArgumentNullException) })]
    [InlineData(typeof(ClientSocket), "Unsubscribe", new[] { typeof(ArgumentNullException) })]
    [InlineData(typeof(ClientSocket), "InvokePublishAsync", new[] { typeof(ScTimeoutException), typeof(ScBadConnectionException), typeof(ScRemoteException), typeof(OperationCanceledException), typeof(ObjectDisposedException) })]
    [InlineData(typeof(ClientChannel), "InvokePublishAsync", new[] { typeof(ScTimeoutException), typeof(ScBadConnectionException), typeof(ScRemoteException), typeof(OperationCanceledException), typeof(ObjectDisposedException) })]
    [InlineData(typeof(ClientSocket), "Connect", new[] { typeof(ObjectDisposedException) })]
    [InlineData(typeof(ClientSocket), "AuthenticateAsync", new[] { typeof(ArgumentNullException), typeof(ScTimeoutException), typeof(ScBadConnectionException), typeof(ScRemoteException), typeof(OperationCanceledException), typeof(ObjectDisposedException) })]
    [InlineData(typeof(ServerSocket), "SetAuthTokenAsync", new[] { typeof(ArgumentNullException), typeof(ScError) })]
    [InlineData(typeof(ServerSocket), "DeauthenticateAsync", new[] { typeof(ScBadConnectionException), typeof(ScTimeoutException) })]
    [InlineData(typeof(ServerSocket), "KickOutAsync", new[] { typeof(ScError) }, false, true)]
    [InlineData(typeof(ServerSocket), "KickOutDataAsync", new[] { typeof(ScError) })]
    [InlineData(typeof(ServerSocket), "Disconnect", new[] { typeof(ArgumentOutOfRangeException), typeof(ArgumentException) })]
    [InlineData(typeof(Exchange), "InvokePublishAsync", new[] { typeof(ArgumentNullException), typeof(Exception) })]
    [InlineData(typeof(Exchange), "SubscribeAsync", new[] { typeof(Exception) })]
    [InlineData(typeof(Exchange), "UnsubscribeAsync", new[] { typeof(Exception) })]
    [InlineData(typeof(Exchange), "TransmitPublish", new[] { typeof(System.Text.Json.JsonException) }, false, false, "System.Object")]
    public void The_main_calls_document_the_exceptions_they_throw(Type type, string method, Type[] exceptions, bool handlerOverloadsOnly = false,
        bool withChannelOnly = false, string? withParameter = null)
    {
        var docs = DocsOf(type.Assembly);
        var overloads = docs.Where(d => MethodId(type, method).IsMatch(d.Key)
            && (!handlerOverloadsOnly || d.Key.Contains("System.Func") || d.Key.Contains("System.Action"))
            && (!withChannelOnly || d.Key.Contains('(')) // KickOutAsync() takes the held channels, so its InvalidActionError is not a caller's mistake
            && (withParameter is null || d.Key.Contains(withParameter))).ToList();
        Assert.NotEmpty(overloads);
        foreach (var (id, doc) in overloads)
        {
            var documented = ExceptionsOf(docs, doc);
            foreach (var exception in exceptions)
                Assert.True(documented.Contains($"T:{exception.FullName}"), $"{id} does not document {exception.Name} (it documents {string.Join(", ", documented)})");
        }
    }

    private static Regex MethodId(Type type, string name) =>
        new($"^M:{Regex.Escape(type.FullName!)}\\.{Regex.Escape(name)}(``\\d+)?(\\(|$)");

    private static bool IsDocumented(XElement member) =>
        member.Element("summary") is { } summary && summary.Value.Trim().Length > 0 || member.Element("inheritdoc") is not null;

    /// <summary>The exception crefs of a member, following &lt;inheritdoc cref=... path="/exception"/&gt; (the compiler leaves it unexpanded).</summary>
    private static HashSet<string> ExceptionsOf(Dictionary<string, XElement> docs, XElement member)
    {
        var found = member.Elements("exception").Select(e => (string)e.Attribute("cref")!).ToHashSet();
        foreach (var inherit in member.Elements("inheritdoc"))
            if ((string?)inherit.Attribute("path") is null or "/exception" && docs.TryGetValue((string)inherit.Attribute("cref")!, out var source))
                found.UnionWith(ExceptionsOf(docs, source));
        return found;
    }

    private static Dictionary<string, XElement> DocsOf(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        Assert.True(File.Exists(path), $"{path} is missing: the library project must set GenerateDocumentationFile");
        return XDocument.Load(path).Descendants("member").ToDictionary(m => (string)m.Attribute("name")!);
    }
}
