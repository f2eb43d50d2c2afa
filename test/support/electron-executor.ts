import { type ClientRequest, request as httpRequest, type RequestOptions } from 'node:http';
import { configureRequestOptions, configureRequestUrl, type DownloadOptions, HttpExecutor } from 'builder-util-runtime';

/**
 * electron-updater's own HTTP layer (builder-util-runtime's HttpExecutor: redirects, SHA-512
 * digest, progress) on Node's http module; in the app the same executor runs on Electron's `net`.
 * `download` does what its ElectronHttpExecutor.download does: the library's doDownload to a file.
 */
export class NodeExecutor extends HttpExecutor<ClientRequest> {
  createRequest(options: RequestOptions, callback: (response: unknown) => void): ClientRequest {
    return httpRequest(options, callback);
  }

  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise((resolve, reject, onCancel) => {
      const requestOptions: RequestOptions = { headers: options.headers ?? undefined };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        {
          destination,
          options,
          onCancel,
          callback: (error) => (error == null ? resolve(destination) : reject(error)),
          responseHandler: null,
        },
        0,
      );
    });
  }
}
