using Mamori.Features.Assets;
using Mamori.Features.Catalog;
using Mamori.Features.Checklists;
using Mamori.Features.Organizations;
using Mamori.Platform.Cli;
using Mamori.Platform.Data;
using Mamori.Platform.Web;

// One binary: `Mamori serve [options]` runs the web server; a command name (`audit verify`, `db backup` …) runs the
// command-line tool. Bare options (as the test host passes them) also mean the server; --help lists the commands.
if (args is ["serve", ..])
    return await MamoriServer.RunAsync(args[1..]);
if (args.Length == 0 || args[0].StartsWith("--") && args[0] is not ("--help" or "--version"))
    return await MamoriServer.RunAsync(args);
return await MamoriCommandLine.RunAsync(args);

public partial class Program;
