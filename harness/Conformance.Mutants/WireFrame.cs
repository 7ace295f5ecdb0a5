using System.Text;

namespace Conformance.Mutants;

public enum FrameKind { Text, Binary }

/// <summary>One WebSocket data message as relayed by the proxy: a text frame, or a binary frame with its bytes.</summary>
public sealed record WireFrame(FrameKind Kind, string Text, byte[]? Bytes = null)
{
    public static WireFrame FromText(string text) => new(FrameKind.Text, text);

    public static WireFrame FromBinary(byte[] bytes) => new(FrameKind.Binary, Encoding.UTF8.GetString(bytes), bytes);

    public bool IsText => Kind == FrameKind.Text;

    public override string ToString() => Kind == FrameKind.Text ? Text : $"<binary {Bytes?.Length ?? 0} bytes> {Text}";
}
