namespace Mamori.Platform.Web;

/// <summary>
/// The one user-facing error type: what went wrong in Japanese (first) and English, and optionally the form field it
/// concerns. Services return a list of these (empty when all is well) or throw <see cref="UserErrorException"/> when they
/// cannot go on; pages show them with <c>T.Of(error)</c> (next to <see cref="Field"/> when set) and never show an
/// exception's own message.
/// </summary>
public sealed record UserError(string Ja, string En, string? Field = null)
{
    public static implicit operator UserError((string Ja, string En) pair) => new(pair.Ja, pair.En);
    public override string ToString() => Ja;
}

/// <summary>A <see cref="UserError"/> raised where returning it is not possible (deep in a reader or a pipeline).</summary>
public class UserErrorException(UserError error) : Exception(error.En)
{
    public UserError Error { get; } = error;
}
