// Names and ports the deployed pieces find each other by, free of Pulumi so the CLI can read them too.
export const APP_NAME = 'digital-twin-mcp';
export const APP_PORT = 8080;
