// A real OpenID Connect provider (panva's oidc-provider) for the single sign-on tests.
// node provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI
// Its sign-in page (devInteractions) takes any login: the login is the e-mail address.
// "unverified…" logins get email_verified=false; "admin…" logins get roles=["admin"].
import Provider from "oidc-provider";

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    response_types: ["code"],
    grant_types: ["authorization_code"],
    token_endpoint_auth_method: "client_secret_post",
  }],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "roles"] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return {
          sub: id, email: id, email_verified: !id.startsWith("unverified"),
          name: id.split("@")[0], roles: id.startsWith("admin") ? ["admin"] : [],
        };
      },
    };
  },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["opennps-tests-only"] },
});
provider.proxy = false;
provider.listen(Number(port), "127.0.0.1", () => { console.log(`ready ${issuer}`); });
