using System.Globalization;
using System.Net.Sockets;
using Mamori.Features.Audit;
using Mamori.Features.Catalog;
using Mamori.Features.Checklists;
using Mamori.Features.Identity;
using Mamori.Features.Organizations;
using Mamori.Platform.Audit;
using Mamori.Platform.Data;
using Mamori.Platform.Hosting;
using Mamori.Platform.Mail;
using Mamori.Platform.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Mamori.Platform.Web;

public static class MamoriServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var demo = args.Contains("--demo");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args.Where(a => a != "--demo").ToArray(),
            ContentRootPath = AppContext.BaseDirectory, // wwwroot is copied next to the binary
        });
        if (builder.Configuration["urls"] is null && Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is null)
            builder.WebHost.UseUrls("http://localhost:8080");

        var urls = builder.Configuration["urls"] ?? Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? "http://localhost:8080";
        ConfigureLogging(builder);
        var startupLog = LoggerFactory.Create(l => l.AddSimpleConsole()).CreateLogger("Mamori");
        DatabaseLocation db;
        AuditKey auditKey;
        try
        {
            auditKey = AuditKey.Load(builder.Configuration);
            Proxies.Options(builder.Configuration); // a wrong MAMORI_TRUSTED_PROXIES stops the start with a clear message
            db = DatabaseLocation.Resolve(builder.Configuration, startupLog);
            db.Embedded?.EnsureStarted(takeOverRunning: true);
        }
        catch (MamoriStartupException e)
        {
            await Console.Error.WriteLineAsync("起動できません: " + e.Japanese + "\n(" + e.English + ")");
            return 2;
        }

        ConfigureServices(builder, db.ServerConnectionString);
        builder.Services.AddSingleton(db).AddSingleton(auditKey);
        var app = builder.Build();
        try
        {
            Configure(app);
            await PrepareDatabaseAsync(app.Services, demo);
            app.Lifetime.ApplicationStarted.Register(() => AnnounceStart(app));
            await app.RunAsync();
            return 0;
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || e.Message.Contains("address already in use"))
        {
            await Console.Error.WriteLineAsync(
                $"起動できません: ポートが既に使われています（{urls}）。別のポートを `./mamori start --urls http://localhost:8081` のように指定してください。\n" +
                "(Address already in use; pass --urls to choose another port.)");
            return 3;
        }
        catch (Exception e) when (e is NpgsqlException or MamoriStartupException or InvalidOperationException { InnerException: NpgsqlException })
        {
            await Console.Error.WriteLineAsync("起動できません: データベースに接続できません（" + db.Describe() + "）: " +
                (e is MamoriStartupException s ? s.Japanese + "\n(" + s.English + ")" : e.Message));
            return 4;
        }
        finally
        {
            if (db.Embedded is { StartedHere: true }) db.Embedded.Stop();
        }
    }

    static void ConfigureLogging(WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        if ((builder.Configuration["MAMORI_LOG_FORMAT"] ?? "text") == "json")
            builder.Logging.AddJsonConsole(o => { o.UseUtcTimestamp = true; o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' "; });
        else
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        // Keys are kept in PostgreSQL without a separate key-encryption key: protect the database (docs/operations.md).
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
    }

    public static void ConfigureServices(WebApplicationBuilder builder, string connectionString)
    {
        var s = builder.Services;
        var config = builder.Configuration;
        s.AddHttpContextAccessor();
        s.AddScoped<TenantContext>();
        s.AddScoped<AuditActor>();
        s.AddSingleton<Text>();
        s.AddSingleton<SetupTokens>();
        s.AddSingleton<SignInThrottle>();
        s.AddSingleton<DummyPassword>();
        s.AddSingleton<CommonPasswords>();
        RateLimits.Add(s, config);
        s.AddSingleton(TimeProvider.System);
        s.AddSingleton(SmtpSettings.Read(config));
        s.AddSingleton<MailSignal>();
        s.AddScoped<MailOutbox>();
        s.AddSingleton<MailSender>();
        s.AddHostedService(sp => sp.GetRequiredService<MailSender>());
        s.AddMemoryCache();
        s.AddSingleton<DbCache>();
        s.AddHostedService<AuditAnchorService>();
        s.AddDbContext<MamoriDb>(o => o.UseNpgsql(connectionString));

        s.AddIdentity<User, IdentityRole<Guid>>(o =>
            {
                o.Password.RequiredLength = PasswordPolicy.MinimumWithSecondFactor;
                o.Password.RequireDigit = o.Password.RequireLowercase = o.Password.RequireUppercase = o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.MaxFailedAccessAttempts = config.GetValue("MAMORI_LOCKOUT_ATTEMPTS", 5);
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(config.GetValue("MAMORI_LOCKOUT_MINUTES", 15));
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = true;
                o.Tokens.AuthenticatorTokenProvider = ReplayProtectedTotpProvider.Name;
                o.Stores.SchemaVersion = IdentitySchemaVersions.Version3; // passkeys table
            })
            .AddEntityFrameworkStores<MamoriDb>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<ReplayProtectedTotpProvider>(ReplayProtectedTotpProvider.Name)
            .AddPasswordValidator<PasswordPolicy>()
            .AddClaimsPrincipalFactory<MamoriClaimsFactory>();
        s.Configure<IdentityPasskeyOptions>(o => o.ServerDomain = config["MAMORI_PASSKEY_DOMAIN"]);
        s.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(5);
            o.OnRefreshingPrincipal = UserSessions.KeepSessionAsync; // the refreshed principal stays in its session
        });
        s.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = PasswordReset.Lifetime);

        var idleMinutes = config.GetValue("MAMORI_IDLE_MINUTES", 30);
        s.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "mamori";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = Proxies.PublicUrlIsHttps(config) ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromMinutes(idleMinutes); // idle session timeout
            o.SlidingExpiration = true;
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/error/403";
            o.Events.OnRedirectToLogin = c => ApiOr(c.HttpContext, 401, () => c.Response.Redirect(c.RedirectUri));
            o.Events.OnRedirectToAccessDenied = c => ApiOr(c.HttpContext, 403, () => c.Response.Redirect(c.RedirectUri));
            // Server-side sessions (user_sessions): revocable at the next request.
            o.Events.OnValidatePrincipal = UserSessions.ValidateAsync;
            o.Events.OnSigningIn = UserSessions.SigningInAsync;
            o.Events.OnSigningOut = UserSessions.SigningOutAsync;
        });
        s.AddAntiforgery(o =>
        {
            o.Cookie.Name = "mamori-csrf"; o.HeaderName = "RequestVerificationToken"; o.FormFieldName = "__csrf";
            if (Proxies.PublicUrlIsHttps(config)) o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
        });
        if (Proxies.PublicUrlIsHttps(config)) s.AddHsts(o => { o.MaxAge = TimeSpan.FromDays(365); o.IncludeSubDomains = false; });

        // Fail closed: an endpoint without [Public], [SignedIn] or [Requires] is refused to everyone.
        s.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireAssertion(_ => false).Build());
        s.AddScoped<IAuthorizationHandler, PermissionHandler>();

        s.AddDataProtection().SetApplicationName("Mamori").PersistKeysToDbContext<MamoriDb>();

        s.AddLocalization();
        s.Configure<RequestLocalizationOptions>(o =>
        {
            CultureInfo[] cultures = [new("ja-JP"), new("en")];
            o.DefaultRequestCulture = new RequestCulture("ja-JP");
            o.SupportedCultures = o.SupportedUICultures = cultures;
            o.RequestCultureProviders = [new CookieRequestCultureProvider { CookieName = Language.CookieName }];
        });

        // Japanese text is written as is, not as &#x...; entities.
        s.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        s.AddRazorPages(o =>
        {
            o.RootDirectory = "/Features";
            o.Conventions.ConfigureFilter(new PermissionFilter());
            o.Conventions.ConfigureFilter(new UploadNames());
        });
        s.AddOpenApi();
        s.AddProblemDetails();
    }

    static Task ApiOr(HttpContext ctx, int status, Action page)
    {
        if (ctx.Request.Path.StartsWithSegments("/api")) ctx.Response.StatusCode = status;
        else page();
        return Task.CompletedTask;
    }

    public static void Configure(WebApplication app)
    {
        if (Proxies.Options(app.Configuration) is { } forwarded) app.UseForwardedHeaders(forwarded);
        if (Proxies.PublicUrlIsHttps(app.Configuration)) app.UseHsts();
        app.UseExceptionHandler("/error/500");
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api"), a => a.UseStatusCodePagesWithReExecute("/error/{0}"));
        app.UseMiddleware<SecurityHeaders>();
        app.UseStaticFiles();
        app.UseRequestLocalization();
        app.Use((context, next) => { SheetUrls.Rewrite(context.Request); return next(context); }); // before routing
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseMiddleware<SecondFactorGate>();
        app.UseMiddleware<TenantMiddleware>();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapRazorPages();
        app.MapOpenApi().WithMetadata(new PublicAttribute());
        Endpoints.Map(app);
    }

    static async Task PrepareDatabaseAsync(IServiceProvider services, bool demo)
    {
        await using var scope = services.CreateAsyncScope();
        await QuietMigration.MigrateAsync(scope.ServiceProvider);
        var db = scope.ServiceProvider.GetRequiredService<MamoriDb>();
        await CatalogImport.SyncShippedAsync(db, scope.ServiceProvider.GetRequiredService<TimeProvider>(), CatalogImport.ShippedDirectory);
        if (demo) await DemoData.EnsureAsync(scope.ServiceProvider, Console.Out);
    }

    static void AnnounceStart(WebApplication app)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MamoriDb>();
        var url = app.Urls.FirstOrDefault() ?? "http://localhost:8080";
        Console.WriteLine($"Mamori が起動しました: {url}  (Ctrl+C で停止)");
        if (!db.Organizations.Any())
        {
            var token = scope.ServiceProvider.GetRequiredService<SetupTokens>().Issue();
            Console.WriteLine();
            Console.WriteLine("初回セットアップ: 次の URL を開いて最初の組織と管理者を作成してください（1回限り・24時間有効）:");
            Console.WriteLine($"  {url.TrimEnd('/')}/setup/{token}");
            Console.WriteLine("First-run setup: open the URL above to create the first organisation and its administrator.");
        }
    }
}
