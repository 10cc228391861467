using Receptionist.Host;

var app = ReceptionistHost.Build(args);
await app.RunAsync();
