using System.CommandLine;
using Receptionist.Cli.Commands;

var root = new RootCommand("Receptionist: the AI telephone receptionist. Run `up`, then place a call with `call`.")
{
    UpCommand.Create(),
    CallCommand.Create(),
    TenantsCommand.Create(),
    AppointmentsCommand.Create(),
    CallsCommand.Create(),
    MessagesCommand.Create(),
    UnderstandCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
